package dev.intact.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.cli.InProcessIntact;
import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sum} on embedded Spark prints, byte for byte, what {@code intact sum} prints for the same
 * files: for random layouts (holes, zero blocks, unaligned and empty files), every kind of checksum
 * (block-hash lists of any inner hash and block size, the combinable CRCs and adler32, hashes that
 * run whole) and random split sizes, including splits smaller than a block.
 */
class SparkSumTest {
  private static final List<String> TYPES =
      List.of(
          "blkhash",
          "imageio",
          "blkhash:blake3",
          "imageio:sha1",
          "crc32",
          "crc32c",
          "adler32",
          "crc64",
          "crc64-xz",
          "sha256",
          "md5");

  @TempDir Path dir;

  @Test
  void everyTypeAndSplitGivesTheCliValues() throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    List<Path> files = Layouts.create(dir, 17, 7);
    List<String> names = files.stream().map(Path::toString).toList();
    for (String type : TYPES) {
      List<String> blockSize =
          type.startsWith("blkhash") && random.nextBoolean()
              ? List.of("--block-size", "4K")
              : List.of();
      String split = String.valueOf(random.nextInt(100_000, 3 << 20));
      List<String> cli = new ArrayList<>(List.of("sum", "-a", type));
      cli.addAll(blockSize);
      cli.addAll(names);
      List<String> job = new ArrayList<>(List.of("sum", "-a", type, "--split-size", split));
      job.addAll(blockSize);
      job.addAll(names);

      InProcessIntact.Result expected = InProcessIntact.run(cli.toArray(String[]::new));
      LocalSpark.Run actual = LocalSpark.run(job.toArray(String[]::new));

      assertThat(expected.exit()).as(expected.err()).isZero();
      assertThat(actual.exit()).as(actual.err()).isZero();
      assertThat(actual.out()).as("%s split %s", type, split).isEqualTo(expected.out());
    }
  }

  @Test
  void jsonLinesEqualTheClisAndADirectoryIsItsFilesInNameOrder() throws IOException {
    Layouts.create(dir, 5, 6);
    List<String> sorted = Inputs.expand(List.of(dir.toString()), new Configuration());
    List<String> cli =
        new ArrayList<>(List.of("sum", "--json", "-a", "imageio", "--block-size", "1M"));
    cli.addAll(sorted);

    InProcessIntact.Result expected = InProcessIntact.run(cli.toArray(String[]::new));
    LocalSpark.Run actual =
        LocalSpark.run(
            "sum",
            "--json",
            "-a",
            "imageio",
            "--block-size",
            "1M",
            "--split-size",
            "1M",
            dir.toString());

    assertThat(actual.out()).isEqualTo(expected.out());
    assertThat(actual.out().lines()).hasSize(6);
  }

  @Test
  void failedFirstAttemptsChangeNoValue() throws IOException {
    List<Path> files = Layouts.create(dir, 23, 5);
    String[] job = {
      "sum",
      "-a",
      "crc32c",
      "--split-size",
      "300000",
      files.get(1).toString(),
      files.get(3).toString()
    };
    String[] blk = {
      "sum", "--split-size", "512K", files.get(1).toString(), files.get(3).toString()
    };
    LocalSpark.Run clean = LocalSpark.run(job);
    LocalSpark.Run cleanBlk = LocalSpark.run(blk);

    LocalSpark.Run retried = LocalSpark.withFailingFirstAttempts(() -> LocalSpark.run(job));
    LocalSpark.Run retriedBlk = LocalSpark.withFailingFirstAttempts(() -> LocalSpark.run(blk));

    assertThat(retried.exit()).isZero();
    assertThat(retried.out()).isEqualTo(clean.out()).isNotEmpty();
    assertThat(retriedBlk.out()).isEqualTo(cleanBlk.out()).isNotEmpty();
  }

  @Test
  void aMissingInputIsOneLineAndExitOneTheOthersStillSummed() throws IOException {
    List<Path> files = Layouts.create(dir, 3, 2);
    String missing = dir.resolve("nope").toString();

    InProcessIntact.Result expected = InProcessIntact.run("sum", files.get(1).toString(), missing);
    LocalSpark.Run actual = LocalSpark.run("sum", files.get(1).toString(), missing);

    assertThat(actual.exit()).isEqualTo(1).isEqualTo(expected.exit());
    assertThat(actual.out()).isEqualTo(expected.out());
    assertThat(actual.err()).isEqualTo(expected.err());
  }

  @Test
  void aQcow2IsRefusedForBlockHashListsAndSummedAsItsFileBytesOtherwise() throws IOException {
    Path qcow2 = dir.resolve("disk.qcow2");
    ExternalTool.of("qemu-img", "qemu-utils")
        .run("create", "-q", "-f", "qcow2", qcow2.toString(), "1M");

    // intact sum hashes the guest's disk here (through qemu-nbd); the job must not print another
    // value for it.
    LocalSpark.Run blkhash = LocalSpark.run("sum", qcow2.toString());
    assertThat(blkhash.exit()).isEqualTo(1);
    assertThat(blkhash.out()).isEmpty();
    assertThat(blkhash.err())
        .startsWith("intact: " + qcow2 + ": is a qcow2 image")
        .contains("intact sum")
        .doesNotContain("Exception");

    InProcessIntact.Result expected = InProcessIntact.run("sum", "-a", "sha256", qcow2.toString());
    LocalSpark.Run sha256 = LocalSpark.run("sum", "-a", "sha256", qcow2.toString());
    assertThat(sha256.exit()).isZero().isEqualTo(expected.exit());
    assertThat(sha256.out()).isEqualTo(expected.out());
  }

  @Test
  void outputHoldsTheResultsAsParquetAndJsonLinesWithASummary() throws IOException {
    List<Path> files = Layouts.create(dir.resolve("data"), 9, 3);
    Path output = dir.resolve("out");

    LocalSpark.Run run =
        LocalSpark.run(
            "sum",
            "-a",
            "sha256",
            "--output",
            output.toString(),
            files.get(0).toString(),
            files.get(1).toString());

    assertThat(run.exit()).isZero();
    List<Row> parquet =
        LocalSpark.get()
            .read()
            .parquet(output.resolve(ResultStore.PARQUET).toString())
            .orderBy("path")
            .collectAsList();
    List<String> lines = run.out().lines().toList();
    assertThat(parquet).hasSize(2);
    for (Row r : parquet) {
      ResultRow row = ResultRow.of(r);
      assertThat(row.status()).isEqualTo("OK");
      assertThat(row.algorithm()).isEqualTo("sha256");
      assertThat(lines).contains(row.actual() + "  " + row.path());
      assertThat(row.size()).isEqualTo(java.nio.file.Files.size(Path.of(row.path())));
    }
    List<Row> json =
        LocalSpark.get().read().json(output.resolve(ResultStore.JSONL).toString()).collectAsList();
    assertThat(json).hasSize(2);
    assertThat(json.getFirst().schema().fieldNames())
        .contains("path", "size", "mtime", "algorithm", "expected", "actual", "status");
    assertThat(output.resolve(ResultStore.SUMMARY)).content().contains("\"complete\" : true");
  }

  @Test
  void aUsageErrorIsOneLineAndExitTwo() {
    LocalSpark.Run run = LocalSpark.run("sum", "--split-size", "lots", "x");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines().findFirst())
        .hasValue("intact: --split-size takes a size such as 64K or 256M, not 'lots'");
    assertThat(LocalSpark.run("frobnicate").err())
        .startsWith("intact: unknown command 'frobnicate'");
  }
}
