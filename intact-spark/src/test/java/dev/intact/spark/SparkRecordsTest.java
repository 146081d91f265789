package dev.intact.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.cli.InProcessIntact;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.posix.Xattrs;
import dev.intact.core.record.IntactRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record} and {@code verify} on embedded Spark read and write the same records as {@code
 * intact record} and {@code intact verify} and print the same lines; a retried task writes the same
 * bytes; a rerun skips what a finished run verified.
 */
class SparkRecordsTest {
  private static final String TYPES = "adler32,crc32c,sha256,blkhash";

  @TempDir Path dir;

  @Test
  void recordAndVerifyAgreeWithTheCliBothWays() throws IOException {
    Path cliTree = dir.resolve("cli");
    Path sparkTree = dir.resolve("spark");
    List<Path> cliFiles = Layouts.create(cliTree, 31, 6);
    List<Path> sparkFiles = Layouts.create(sparkTree, 31, 6);
    sameMtimes(cliFiles, sparkFiles);

    InProcessIntact.Result cliRecord =
        InProcessIntact.run("record", "-a", TYPES, cliTree.toString());
    LocalSpark.Run sparkRecord = LocalSpark.run("record", "-a", TYPES, sparkTree.toString());

    assertThat(sparkRecord.exit()).as(sparkRecord.err()).isZero();
    assertThat(sparkRecord.out())
        .isEqualTo(cliRecord.out().replace(cliTree.toString(), sparkTree.toString()));
    assertThat(sparkRecord.err()).isEqualTo(cliRecord.err()).contains("6 files: 6 RECORDED");

    // Each side verifies the other's records.
    InProcessIntact.Result cliVerify = InProcessIntact.run("verify", sparkTree.toString());
    assertThat(cliVerify.exit()).as(cliVerify.out()).isZero();
    assertThat(cliVerify.out().lines()).hasSize(6).allMatch(l -> l.endsWith(": OK"));
    LocalSpark.Run sparkVerify = LocalSpark.run("verify", cliTree.toString());
    assertThat(sparkVerify.out())
        .isEqualTo(InProcessIntact.run("verify", cliTree.toString()).out());

    // A corruption that kept the mtime is found, in the same words.
    corrupt(cliFiles.get(3));
    corrupt(sparkFiles.get(3));
    InProcessIntact.Result cliFailed = InProcessIntact.run("verify", "--json", cliTree.toString());
    LocalSpark.Run sparkFailed = LocalSpark.run("verify", "--json", sparkTree.toString());
    assertThat(sparkFailed.exit()).isEqualTo(cliFailed.exit()).isEqualTo(1);
    assertThat(sparkFailed.out())
        .isEqualTo(cliFailed.out().replace(cliTree.toString(), sparkTree.toString()));
    assertThat(sparkFailed.out()).contains("\"outcome\":\"FAILED\"");
  }

  @Test
  void retriedTasksWriteTheSameRecordsAndReportThemRecorded() throws IOException {
    Path clean = dir.resolve("clean");
    Path retried = dir.resolve("retried");
    sameMtimes(Layouts.create(clean, 7, 5), Layouts.create(retried, 7, 5));

    LocalSpark.Run once = LocalSpark.run("record", "-a", TYPES, clean.toString());
    LocalSpark.Run twice =
        LocalSpark.withFailingFirstAttempts(
            () -> LocalSpark.run("record", "-a", TYPES, retried.toString()));

    assertThat(twice.exit()).as(twice.err()).isZero();
    assertThat(twice.out()).isEqualTo(once.out().replace(clean.toString(), retried.toString()));
    assertThat(twice.out().lines()).allMatch(l -> l.contains(": RECORDED "));
    // One job, one time stamp: what the failed attempts wrote is what the retries wrote.
    ChecksumType blkhash = ChecksumType.parse("blkhash", OptionalLong.empty());
    Set<Long> computed = new HashSet<>();
    for (String f : Inputs.expand(List.of(retried.toString()), new Configuration())) {
      String name = IntactRecord.attributeName(blkhash);
      byte[] raw = Xattrs.get(new Xattrs.OnPath(Path.of(f)), name).orElseThrow();
      computed.add(IntactRecord.decode(name, raw).computed());
    }
    assertThat(computed).hasSize(1);
    assertThat(InProcessIntact.run("verify", retried.toString()).exit()).isZero();
  }

  @Test
  void aRerunSkipsWhatAFinishedRunVerifiedUnlessAskedAgain() throws IOException {
    Path tree = dir.resolve("tree");
    List<Path> files = Layouts.create(tree, 11, 4);
    Path output = dir.resolve("out");
    assertThat(InProcessIntact.run("record", tree.toString()).exit()).isZero();

    LocalSpark.Run first = LocalSpark.run("verify", "--output", output.toString(), tree.toString());
    assertThat(first.out().lines()).hasSize(4).allMatch(l -> l.endsWith(": OK"));

    LocalSpark.Run second =
        LocalSpark.run("verify", "--output", output.toString(), tree.toString());
    assertThat(second.exit()).isZero();
    assertThat(second.out()).isEmpty();
    assertThat(second.err()).contains("4 files skipped");

    Files.setLastModifiedTime(files.get(1), FileTime.fromMillis(1_000_000_000_000L));
    LocalSpark.Run third = LocalSpark.run("verify", "--output", output.toString(), tree.toString());
    assertThat(third.exit()).isEqualTo(1);
    assertThat(third.out()).isEqualTo(files.get(1) + ": STALE\n");
    assertThat(third.err()).contains("3 files skipped");

    LocalSpark.Run again =
        LocalSpark.run("verify", "--again", "--output", output.toString(), tree.toString());
    assertThat(again.out().lines()).hasSize(4);
  }

  private static void sameMtimes(List<Path> from, List<Path> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Files.setLastModifiedTime(to.get(i), Files.getLastModifiedTime(from.get(i)));
    }
  }

  /** Flips the last byte and puts the mtime back, as silent corruption does. */
  private static void corrupt(Path file) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long at = f.length() - 1;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }
    Files.setLastModifiedTime(file, mtime);
  }
}
