package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.bmap.BmapFixtures;
import dev.intact.core.bmap.BmapParser;
import dev.intact.core.flash.IncompleteMarker;
import dev.intact.core.testing.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code intact flash}, {@code intact bmap create} and {@code intact bmap copy} end to end. */
class FlashCommandsTest {
  private static final ExternalTool BMAPTOOL = ExternalTool.of("bmaptool", "bmap-tools");
  private static final ExternalTool GZIP = ExternalTool.of("gzip", "gzip");

  @TempDir Path dir;
  private Path gold;
  private byte[] goldBytes;

  @BeforeEach
  void gold() throws Exception {
    gold = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(gold);
    goldBytes = Files.readAllBytes(gold);
  }

  private String s(Path p) {
    return p.toString();
  }

  @Test
  void bmapCreatePrintsWhatBmaptoolWrites() {
    var r = IntactRun.run("bmap", "create", s(gold));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(BmapFixtures.text("gold.img.bmap"));
  }

  @Test
  void bmapCreateWritesAFileBmaptoolCopiesWith() throws Exception {
    Path bmap = dir.resolve("gold.md5.bmap");
    var r = IntactRun.run("bmap", "create", "--checksum-type", "md5", "-o", s(bmap), s(gold));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(BmapParser.parse(bmap).checksumAlgorithm().name()).isEqualTo("md5");
    Path copy = dir.resolve("copy.img");
    BMAPTOOL.run("copy", "--bmap", s(bmap), s(gold), s(copy));
    assertThat(Arrays.equals(Files.readAllBytes(copy), goldBytes)).isTrue();
  }

  @Test
  void flashWithADiscoveredBmapSummarisesAndExitsZero() throws Exception {
    Files.write(dir.resolve("gold.img.bmap"), BmapFixtures.resource("gold.img.bmap"));
    GZIP.run("-k", s(gold));
    Path dest = dir.resolve("dest.img");
    var r = IntactRun.run("flash", "--verify-readback", s(gold) + ".gz", s(dest));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("intact: using bmap " + dir.resolve("gold.img.bmap"));
    assertThat(r.out())
        .startsWith(
            "flashed "
                + gold
                + ".gz to "
                + dest
                + ": 16808 bytes written, 3/3 ranges verified by read-back, 0 retries, ");
    assertThat(Arrays.equals(Files.readAllBytes(dest), goldBytes)).isTrue();
    assertThat(IncompleteMarker.pathFor(dest)).doesNotExist();
  }

  @Test
  void flashJsonIsOneRecordOfWhatWasWrittenAndVerified() throws Exception {
    Files.write(dir.resolve("gold.img.bmap"), BmapFixtures.resource("gold.img.bmap"));
    Path dest = dir.resolve("dest.img");
    var r = IntactRun.run("flash", "--json", "--verify-readback", s(gold), s(dest));
    assertThat(r.exit()).as(r.err()).isZero();
    var rec = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(rec.get("operation").asText()).isEqualTo("flash");
    assertThat(rec.get("verified").asBoolean()).isTrue();
    assertThat(rec.get("bytes_written").asLong()).isEqualTo(16808);
    assertThat(rec.get("ranges").asInt()).isEqualTo(3);
    assertThat(rec.get("ranges_verified").asInt()).isEqualTo(3);
    assertThat(rec.get("read_back").asBoolean()).isTrue();
    assertThat(rec.get("ranges_rewritten").asInt()).isZero();
    assertThat(rec.get("failures")).isEmpty();
    assertThat(rec.get("target").asText()).isEqualTo(s(dest));
  }

  @Test
  void aMistypedDeviceNameUnderDevIsRefusedAndNoFileAppears() {
    Path nosuch = Path.of("/dev/intact-test-nosuch");
    var r = IntactRun.run("flash", "--nobmap", s(gold), nosuch.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("intact: /dev/intact-test-nosuch does not exist")
        .contains("never created under /dev", "lsblk");
    assertThat(nosuch).doesNotExist();
  }

  @Test
  void bmapCopyIsFlashUnderBmaptoolsName() throws Exception {
    Path bmap = dir.resolve("any.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    Path dest = dir.resolve("dest.img");
    var r = IntactRun.run("bmap", "copy", "--bmap", s(bmap), s(gold), s(dest));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Arrays.equals(Files.readAllBytes(dest), goldBytes)).isTrue();
  }

  @Test
  void aTamperedBmapExitsOneAndWritesNothing() throws Exception {
    Path bmap = dir.resolve("gold.img.bmap");
    Files.writeString(
        bmap,
        BmapFixtures.text("gold.img.bmap").replace("> 256 <", "> 255 <"),
        StandardCharsets.US_ASCII);
    Path dest = dir.resolve("dest.img");
    var r = IntactRun.run("flash", s(gold), s(dest));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains(bmap + ":42: <BmapFileChecksum>: checksum mismatch")
        .contains("intact: the bmap cannot be trusted; nothing was written to " + dest);
    assertThat(dest).doesNotExist();
  }

  @Test
  void aTruncatedImageExitsOneAndTheDestinationStaysMarked() throws Exception {
    Files.write(dir.resolve("gold.img.bmap"), BmapFixtures.resource("gold.img.bmap"));
    GZIP.run("-k", s(gold));
    Path gz = Path.of(s(gold) + ".gz");
    byte[] whole = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(whole, whole.length - 10));
    Path dest = dir.resolve("dest.img");
    var r = IntactRun.run("flash", s(gz), s(dest));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .containsPattern(
            "intact: .*gold.img.gz: truncated gzip stream .* at image byte \\d+ \\(compressed byte \\d+\\)")
        .contains(
            "intact: "
                + dest
                + " is INCOMPLETE: it does not hold a verified copy of "
                + gz
                + " (marked by "
                + IncompleteMarker.pathFor(dest)
                + ")");
    assertThat(IncompleteMarker.pathFor(dest)).exists();
  }

  @Test
  void noBmapFoundIsAClearError() {
    var r = IntactRun.run("flash", s(gold), s(dir.resolve("dest.img")));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains("intact: no bmap found for " + gold)
        .contains("give one with --bmap FILE, or flash the whole image with --nobmap");
  }

  @Test
  void contradictoryOptionsAreAUsageError() {
    var r =
        IntactRun.run("flash", "--bmap", "x.bmap", "--nobmap", s(gold), s(dir.resolve("dest.img")));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("intact: --bmap and --nobmap exclude each other");
  }
}
