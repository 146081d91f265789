package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.testing.ExternalTool;
import dev.intact.core.testing.NoXattrFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordVerifyCommandsTest {
  private static final ExternalTool GETFATTR = ExternalTool.of("getfattr", "attr");
  private static final ExternalTool SHA256SUM = ExternalTool.of("sha256sum", "coreutils");

  @TempDir Path dir;

  private Path file(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    Files.createDirectories(dir.resolve(name).getParent());
    return Files.write(dir.resolve(name), data);
  }

  @Test
  void defaultRecordIsAdler32Crc32cAndSha256WithSha256EqualToSha256sum() throws IOException {
    Path f = file("a", 70_000);

    IntactRun.Result r = IntactRun.run("record", f.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    String sha = SHA256SUM.run(f.toString()).substring(0, 64);
    assertThat(r.out())
        .startsWith(f + ": RECORDED adler32=")
        .contains(", crc32c=")
        .endsWith(", sha256=" + sha + "\n");
    assertThat(GETFATTR.run("-d", "-m", "-", f.toString()))
        .contains("user.XrdCks.adler32=", "user.XrdCks.crc32c=", "user.intact.cks.sha256=");
  }

  @Test
  void treeIsWalkedRecordedAndVerifiedWithASummary() throws IOException {
    file("t/x", 10);
    file("t/sub/y", 20_000);
    file("t/sub/z", 0);

    IntactRun.Result rec =
        IntactRun.run("record", "-j", "2", "--quiet", dir.resolve("t").toString());
    IntactRun.Result ver = IntactRun.run("verify", dir.resolve("t").toString());

    assertThat(rec.exit()).as(rec.err()).isZero();
    assertThat(rec.out()).isEmpty();
    assertThat(ver.exit()).isZero();
    assertThat(ver.out())
        .isEqualTo(
            dir.resolve("t/sub/y")
                + ": OK\n"
                + dir.resolve("t/sub/z")
                + ": OK\n"
                + dir.resolve("t/x")
                + ": OK\n");
    assertThat(ver.err()).isEqualTo("intact: 3 files: 3 OK\n");
  }

  @Test
  void staleRecordIsReportedWithItsReasonAndExitsOne() throws IOException {
    Path f = file("s", 100);
    IntactRun.run("record", "-a", "sha256", f.toString());
    Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));

    IntactRun.Result ver = IntactRun.run("verify", f.toString());
    IntactRun.Result rec = IntactRun.run("record", "-a", "sha256", f.toString());
    IntactRun.Result upd = IntactRun.run("record", "--update", "-a", "sha256", f.toString());

    assertThat(ver.exit()).isEqualTo(1);
    assertThat(ver.out()).isEqualTo(f + ": STALE\n");
    assertThat(ver.err())
        .contains(f + ": sha256 recorded for mtime ")
        .contains("file has 1000000000.000000000");
    assertThat(rec.exit()).isEqualTo(1);
    assertThat(rec.err()).contains("(use --update to refresh)");
    assertThat(upd.exit()).isZero();
    assertThat(IntactRun.run("verify", f.toString()).out()).isEqualTo(f + ": OK\n");
  }

  @Test
  void missingRecordIsFineUnlessRequired() throws IOException {
    Path f = file("n", 100);

    IntactRun.Result plain = IntactRun.run("verify", f.toString());
    IntactRun.Result required = IntactRun.run("verify", "--require", "adler32", f.toString());

    assertThat(plain.exit()).isZero();
    assertThat(plain.out()).isEqualTo(f + ": NO RECORD\n");
    assertThat(required.exit()).isEqualTo(1);
    assertThat(required.out()).isEqualTo(f + ": FAILED adler32 has no record\n");
  }

  @Test
  void jsonLinesCarryStatusAndEveryCheck() throws IOException {
    Path f = file("j", 100);
    IntactRun.run("record", "-a", "adler32,imageio/1M", f.toString());

    IntactRun.Result r = IntactRun.run("verify", "--json", f.toString());

    JsonNode n = new ObjectMapper().readTree(r.out());
    assertThat(n.get("file").asText()).isEqualTo(f.toString());
    assertThat(n.get("status").asText()).isEqualTo("OK");
    assertThat(n.get("checks")).hasSize(2);
    assertThat(n.get("checks").findValuesAsText("algorithm"))
        .containsExactlyInAnyOrder("adler32", "imageio");
  }

  @Test
  void missingFileLinkAndFifoAreOneLineErrorsAndTheRunGoesOn() throws Exception {
    Path good = file("g", 10);
    IntactRun.run("record", good.toString());
    Path link = Files.createSymbolicLink(dir.resolve("link"), good);
    Path fifo = dir.resolve("fifo");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    Path missing = dir.resolve("missing");

    IntactRun.Result r =
        IntactRun.run(
            "verify", missing.toString(), link.toString(), fifo.toString(), good.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            missing + ": ERROR\n" + link + ": ERROR\n" + fifo + ": ERROR\n" + good + ": OK\n");
    assertThat(r.err())
        .contains("intact: " + missing + ": No such file or directory\n")
        .contains("intact: " + link + ": is a symbolic link, not a regular file\n")
        .contains("intact: " + fifo + ": is a fifo, not a regular file\n")
        .doesNotContain("Exception");
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    IntactRun.Result badAlg = IntactRun.run("record", "-a", "adler32,nope", "x");
    IntactRun.Result noFiles = IntactRun.run("verify");

    assertThat(badAlg.exit()).isEqualTo(2);
    assertThat(badAlg.err()).startsWith("intact: unknown checksum algorithm 'nope'");
    assertThat(noFiles.exit()).isEqualTo(2);
    assertThat(noFiles.err()).startsWith("intact: name the files or directories to verify");
  }

  @Test
  void fileSystemWithoutUserAttributesSaysToUseAManifestWhichThenWorks() throws IOException {
    Path mount = Files.createDirectory(dir.resolve("ramfs"));
    try (NoXattrFileSystem fs = NoXattrFileSystem.mount(mount)) {
      Path f = Files.writeString(fs.root().resolve("f"), "123456789");
      Path manifest = fs.root().resolve("SUMS");

      IntactRun.Result refused = IntactRun.run("record", "-a", "adler32", f.toString());
      IntactRun.Result rec =
          IntactRun.run(
              "record",
              "-a",
              "adler32,cksum",
              "--manifest",
              manifest.toString(),
              fs.root().toString());
      IntactRun.Result ver = IntactRun.run("verify", "--manifest", manifest.toString());
      IntactRun.Result sumCheck = IntactRun.run("sum", "-c", manifest.toString());

      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err())
          .contains(f + ": the file system stores no user extended attributes")
          .contains("--manifest FILE");
      assertThat(rec.exit()).as(rec.err()).isZero();
      assertThat(Files.readString(manifest))
          .contains("#@ size=9 mtime=")
          .contains("ADLER32 (" + f + ") = 091e01de")
          .contains("CKSUM (" + f + ") = 377a6011");
      assertThat(ver.out()).isEqualTo(f + ": OK\n");
      assertThat(sumCheck.out()).isEqualTo(f + ": OK\n" + f + ": OK\n");
    }
  }
}
