package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveCommandTest {
  private static final ExternalTool GETFATTR = ExternalTool.of("getfattr", "attr");
  private static final ExternalTool SETFATTR = ExternalTool.of("setfattr", "attr");
  private static final ExternalTool XRDADLER32 = ExternalTool.of("xrdadler32", "xrootd-client");

  @TempDir Path dir;

  private Path file(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.write(p, data);
  }

  private Path archiveDir() throws IOException {
    return Files.createDirectories(dir.resolve("archive"));
  }

  private static String attribute(Path f, String name) {
    return GETFATTR.run("--only-values", "-n", name, f.toString());
  }

  private static long entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void archivedCopyIsEqualCarriesRecordsAndXrdadler32ReadsThem() throws IOException {
    Path src = file("src/run.root", 3 << 20);
    Path archive = archiveDir();

    IntactRun.Result r =
        IntactRun.run("archive", "--cksum", "sha256:print", src.toString(), archive.toString());

    Path dest = archive.resolve("run.root");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith(src + " -> " + dest + ": ARCHIVED sha256=");
    assertThat(Files.mismatch(src, dest)).isEqualTo(-1);
    IntactRun.Result v = IntactRun.run("verify", "--require", "sha256", dest.toString());
    assertThat(v.out()).isEqualTo(dest + ": OK\n");
    assertThat(entries(archive)).isEqualTo(1);
  }

  @Test
  void sourceThatRottedUnderItsRecordIsRefusedAndNothingAppears() throws IOException {
    Path src = file("src/rotten", 100_000);
    IntactRun.run("record", "-a", "adler32", src.toString());
    FileTime mtime = Files.getLastModifiedTime(src);
    try (RandomAccessFile raf = new RandomAccessFile(src.toFile(), "rw")) {
      raf.seek(777);
      raf.write(0x55);
    }
    Files.setLastModifiedTime(src, mtime);
    Path archive = archiveDir();

    IntactRun.Result r = IntactRun.run("archive", src.toString(), archive.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(src + ": REFUSED\n");
    assertThat(r.err()).contains(src + ": not archived: checksum value mismatch adler32 expected=");
    assertThat(entries(archive)).as("no destination, no temporary file").isZero();
    assertThat(attribute(src, "user.intact.archive.error"))
        .contains("checksum value mismatch adler32 expected=");
  }

  @Test
  void forcedChecksumDirectoryRefusesASourceWithoutThatRecord() throws IOException {
    Path bare = file("src/bare", 1000);
    Path recorded = file("src/recorded", 1000);
    IntactRun.run("record", "-a", "adler32", recorded.toString());
    Path archive = archiveDir();
    SETFATTR.run("-n", "user.intact.forced.checksum", "-v", "adler32", archive.toString());

    IntactRun.Result refused = IntactRun.run("archive", bare.toString(), archive.toString());
    IntactRun.Result accepted = IntactRun.run("archive", recorded.toString(), archive.toString());

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .contains(bare + ": not archived: checksum type expected=ADLER32 actual=NONE");
    assertThat(attribute(bare, "user.intact.archive.error"))
        .endsWith(" checksum type expected=ADLER32 actual=NONE");
    assertThat(accepted.exit()).as(accepted.err()).isZero();
    String adler = XRDADLER32.run(recorded.toString()).substring(0, 8);
    assertThat(XRDADLER32.run(archive.resolve("recorded").toString())).startsWith(adler + " ");
    assertThat(Files.exists(archive.resolve("bare"))).isFalse();
  }

  @Test
  void userValueMustMatchAndMayLackLeadingZeros() throws IOException {
    Path src = Files.writeString(dir.resolve("nine"), "123456789");
    Path archive = archiveDir();

    IntactRun.Result wrong =
        IntactRun.run(
            "archive",
            "--cksum",
            "adler32:deadbeef",
            src.toString(),
            archive.resolve("a").toString());
    IntactRun.Result right =
        IntactRun.run(
            "archive",
            "--cksum",
            "adler32:91e01de",
            src.toString(),
            archive.resolve("b").toString());

    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err())
        .contains("checksum value mismatch adler32 expected=deadbeef actual=091e01de");
    assertThat(Files.exists(archive.resolve("a"))).isFalse();
    assertThat(right.exit()).as(right.err()).isZero();
    assertThat(right.out()).endsWith(": ARCHIVED adler32=091e01de\n");
  }

  @Test
  void sourceChecksumModeNeedsTheSourcesRecord() throws IOException {
    Path src = file("src/plain", 500);
    Path archive = archiveDir();

    IntactRun.Result r =
        IntactRun.run("archive", "--cksum", "md5:source", src.toString(), archive.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("checksum type expected=MD5 actual=NONE");
  }

  @Test
  void treeIsArchivedFileByFileAndAnExistingDestinationIsNeverReplaced() throws IOException {
    file("tree/a", 10);
    file("tree/sub/b", 70_000);
    Path archive = archiveDir();
    Files.createDirectories(archive.resolve("tree"));
    Files.writeString(archive.resolve("tree/a"), "keep me");

    IntactRun.Result r =
        IntactRun.run("archive", "-j", "2", dir.resolve("tree").toString(), archive.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains(archive.resolve("tree/a") + ": already exists, not replaced");
    assertThat(Files.readString(archive.resolve("tree/a"))).isEqualTo("keep me");
    assertThat(Files.mismatch(dir.resolve("tree/sub/b"), archive.resolve("tree/sub/b")))
        .isEqualTo(-1);
    assertThat(entries(archive.resolve("tree"))).isEqualTo(2);
  }
}
