package dev.intact.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.cli.InProcessIntact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs named by a URI of a Hadoop filesystem other than {@code file:} (here the local disk under
 * the scheme {@code intacttest}, as HDFS or S3A would be) are read through Hadoop's {@code
 * FileSystem} API on the executors, and give the values {@code intact sum} gives for the same bytes
 * by their local path. Records are refused there, in one line.
 */
class SparkHadoopTest {
  @TempDir Path dir;

  @BeforeAll
  static void registerTheScheme() {
    // The driver's Hadoop configuration; the job carries it to the executors.
    LocalSpark.get()
        .sparkContext()
        .hadoopConfiguration()
        .set("fs." + OtherSchemeFileSystem.SCHEME + ".impl", OtherSchemeFileSystem.class.getName());
  }

  @Test
  void sumsOfHadoopUrisEqualTheClisOfTheLocalFiles() throws IOException {
    List<Path> files = Layouts.create(dir, 29, 6);
    for (String type : List.of("blkhash", "crc32c", "sha256")) {
      List<String> cli = new ArrayList<>(List.of("sum", "-a", type));
      List<String> job = new ArrayList<>(List.of("sum", "-a", type, "--split-size", "300000"));
      for (Path f : files) {
        cli.add(f.toString());
        job.add(OtherSchemeFileSystem.uri(f));
      }

      InProcessIntact.Result expected = InProcessIntact.run(cli.toArray(String[]::new));
      LocalSpark.Run actual = LocalSpark.run(job.toArray(String[]::new));

      assertThat(actual.exit()).as(actual.err()).isZero();
      assertThat(expected.exit()).as(expected.err()).isZero();
      assertThat(actual.out())
          .as(type)
          .isEqualTo(expected.out().replace(dir.toString(), OtherSchemeFileSystem.uri(dir)));
    }
  }

  @Test
  void aHadoopDirectoryIsItsFilesInNameOrder() throws IOException {
    List<Path> files = Layouts.create(dir, 31, 5);
    List<String> cli = new ArrayList<>(List.of("sum", "-a", "crc32"));
    Inputs.expand(List.of(dir.toString()), new org.apache.hadoop.conf.Configuration())
        .forEach(cli::add);

    InProcessIntact.Result expected = InProcessIntact.run(cli.toArray(String[]::new));
    LocalSpark.Run actual = LocalSpark.run("sum", "-a", "crc32", OtherSchemeFileSystem.uri(dir));

    assertThat(actual.exit()).as(actual.err()).isZero();
    assertThat(values(actual.out())).isEqualTo(values(expected.out())).hasSize(files.size());
  }

  @Test
  void aMissingHadoopInputIsOneLineAndExitOne() {
    String missing = OtherSchemeFileSystem.uri(dir.resolve("nope"));

    LocalSpark.Run actual = LocalSpark.run("sum", missing);

    assertThat(actual.exit()).isEqualTo(1);
    assertThat(actual.out()).isEmpty();
    assertThat(actual.err().lines()).singleElement().asString().startsWith("intact: " + missing);
    assertThat(actual.err()).doesNotContain("\tat ");
  }

  @Test
  void recordAndVerifyOfAHadoopUriAreRefusedInOneLineWithoutRecords() throws IOException {
    Path file = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});
    String uri = OtherSchemeFileSystem.uri(file);

    LocalSpark.Run record = LocalSpark.run("record", uri);
    LocalSpark.Run verify = LocalSpark.run("verify", uri);

    assertThat(record.exit()).isEqualTo(2);
    assertThat(record.err().lines())
        .singleElement()
        .asString()
        .startsWith("intact: " + uri + ": record reads and writes records");
    assertThat(verify.exit()).isEqualTo(2);
    assertThat(verify.err().lines())
        .singleElement()
        .asString()
        .startsWith("intact: " + uri + ": verify reads");
    assertThat(record.err() + verify.err()).doesNotContain("Exception");
    assertThat(new dev.intact.core.record.XattrRecords().read(file).isEmpty()).isTrue();
  }

  private static List<String> values(String out) {
    return out.lines().map(l -> l.substring(0, l.indexOf(' '))).toList();
  }
}
