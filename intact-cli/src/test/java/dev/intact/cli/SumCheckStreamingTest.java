package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intact sum -c} reads sum files as streams with a line-length limit, infers the algorithm
 * of untagged lines from well-known sum-file names, and hints at the algorithm when untagged lines
 * fail under the default.
 */
class SumCheckStreamingTest {
  private static final ExternalTool SHA256SUM = ExternalTool.of("sha256sum", "coreutils");
  private static final ExternalTool MD5SUM = ExternalTool.of("md5sum", "coreutils");
  private static final ExternalTool B2SUM = ExternalTool.of("b2sum", "coreutils");
  private static final ExternalTool SHA1SUM = ExternalTool.of("sha1sum", "coreutils");

  @TempDir Path dir;

  private List<String> lines(byte[] text, int max) throws IOException {
    List<String> out = new ArrayList<>();
    try (SumFileLines l = new SumFileLines(new ByteArrayInputStream(text), max)) {
      while (l.next()) {
        out.add(l.number() + (l.tooLong() ? " too long" : " " + l.text()));
      }
    }
    return out;
  }

  @Test
  void linesSplitAtNewlinesWithTheLastOneUnterminated() throws IOException {
    byte[] text = "a\n\nbc\r\nlast".getBytes(StandardCharsets.US_ASCII);
    assertThat(lines(text, 16)).containsExactly("1 a", "2 ", "3 bc\r", "4 last");
    assertThat(lines(new byte[0], 16)).isEmpty();
  }

  @Test
  void aLineOverTheLimitIsSkippedWholeAndTheNextOneIsRead() throws IOException {
    String longLine = "x".repeat(200_000);
    byte[] text = ("ok\n" + longLine + "\nafter\n" + longLine).getBytes(StandardCharsets.US_ASCII);
    assertThat(lines(text, 1000)).containsExactly("1 ok", "2 too long", "3 after", "4 too long");
    String exactly = "y".repeat(1000);
    assertThat(lines((exactly + "\n").getBytes(StandardCharsets.US_ASCII), 1000))
        .containsExactly("1 " + exactly);
  }

  @Test
  void anOverlongLineIsImproperlyFormattedAndTheOthersAreChecked() throws IOException {
    Path f = Files.writeString(dir.resolve("f"), "data");
    String good = SHA256SUM.run(f.toString());
    Path sums = dir.resolve("sums");
    Files.writeString(sums, "0".repeat(100_000) + "  huge\n" + good);
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha256", "-c", sums.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(f + ": OK\n");
    assertThat(r.err())
        .contains(
            "intact: "
                + sums
                + ": 1: improperly formatted checksum line: longer than 65536 bytes (not read)")
        .contains("intact: WARNING: 1 line is improperly formatted");
    IntactRun.Result strict =
        IntactRun.run("sum", "-a", "sha256", "--strict", "-c", sums.toString());
    assertThat(strict.exit()).isEqualTo(1);
  }

  @Test
  void wellKnownSumFileNamesChooseTheAlgorithmWithoutMinusA() throws IOException {
    Path f = Files.writeString(dir.resolve("f"), "published data");
    record Named(String name, ExternalTool tool) {}
    for (Named n :
        List.of(
            new Named("SHA256SUMS", SHA256SUM),
            new Named("image.iso.sha256", SHA256SUM),
            new Named("MD5SUMS", MD5SUM),
            new Named("f.md5", MD5SUM),
            new Named("B2SUMS", B2SUM),
            new Named("SHA1SUMS.txt", SHA1SUM))) {
      Path sums = Files.writeString(dir.resolve(n.name()), n.tool().run(f.toString()));
      IntactRun.Result r = IntactRun.run("sum", "-c", sums.toString());
      assertThat(r.err()).as(n.name()).isEmpty();
      assertThat(r.out()).as(n.name()).isEqualTo(f + ": OK\n");
      assertThat(r.exit()).as(n.name()).isZero();
    }
  }

  @Test
  void minusAWinsOverTheFileName() throws IOException {
    Path f = Files.writeString(dir.resolve("f"), "x");
    Path sums = Files.writeString(dir.resolve("MD5SUMS"), SHA256SUM.run(f.toString()));
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha256", "-c", sums.toString());
    assertThat(r.out()).isEqualTo(f + ": OK\n");
  }

  @Test
  void untaggedLinesFailingUnderTheDefaultGetAHintNamingTheAlgorithm() throws IOException {
    Path f = Files.writeString(dir.resolve("f"), "x");
    Path renamed = Files.writeString(dir.resolve("checksums"), SHA256SUM.run(f.toString()));
    IntactRun.Result r = IntactRun.run("sum", "-c", renamed.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(f + ": FAILED\n");
    assertThat(r.err())
        .endsWith(
            "intact: hint: untagged lines were checked as blkhash (the default: no -a, and the"
                + " sum file's name names no algorithm); 64 hex digits also fit sha256, blake3,"
                + " sha3-256, blake2b-256: try -a sha256\n");

    Path md5 = Files.writeString(dir.resolve("list"), MD5SUM.run(f.toString()));
    IntactRun.Result m = IntactRun.run("sum", "-c", md5.toString());
    assertThat(m.exit()).isEqualTo(1);
    assertThat(m.err()).contains("32 hex digits also fit md5").endsWith(": try -a md5\n");
  }

  @Test
  void noHintWhenTheAlgorithmWasNamed() throws IOException {
    Path f = Files.writeString(dir.resolve("f"), "x");
    Path sums = Files.writeString(dir.resolve("checksums"), SHA256SUM.run(f.toString()));
    IntactRun.Result r = IntactRun.run("sum", "-a", "blkhash", "-c", sums.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("hint");
  }
}
