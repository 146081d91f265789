package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.record.ScrubState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are not UTF-8: {@code n\xff\xfe} and {@code n\xfe\xff} both print as {@code n��}, yet
 * are two files. Records go on each file itself, a verdict is never carried from one to the other,
 * and a manifest (text) refuses to name them rather than name another file.
 */
class RecordNonUtf8NamesTest {
  private static final byte[] ONE = {'n', (byte) 0xff, (byte) 0xfe};
  private static final byte[] OTHER = {'n', (byte) 0xfe, (byte) 0xff};

  @TempDir Path dir;

  private Path file(Path tree, byte[] name, String contents) throws IOException {
    return Files.writeString(FileNames.toPath(tree + "/" + FileNames.decode(name)), contents);
  }

  private static void corruptKeepingMtime(Path f) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(f);
    // Through the Path (its bytes), never f.toFile(): a File holds the name as text.
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {'X'}), 0);
    }
    Files.setLastModifiedTime(f, mtime);
  }

  @Test
  void eachFileIsRecordedVerifiedScrubbedAndArchivedUnderItsOwnBytes() throws IOException {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Path one = file(tree, ONE, "first file");
    Path other = file(tree, OTHER, "second file");

    IntactRun.Result record = IntactRun.run("record", "-a", "adler32", tree.toString());
    assertThat(record.exit()).as(record.err()).isZero();
    assertThat(Files.getFileAttributeView(one, UserDefinedFileAttributeView.class).list())
        .contains("XrdCks.adler32");
    assertThat(Files.getFileAttributeView(other, UserDefinedFileAttributeView.class).list())
        .contains("XrdCks.adler32");
    assertThat(IntactRun.run("verify", tree.toString()).out().lines())
        .hasSize(2)
        .allMatch(l -> l.endsWith(": OK"));

    Path archive = Files.createDirectories(dir.resolve("archive"));
    IntactRun.Result copy =
        IntactRun.run("archive", "--quiet", tree.toString(), archive.toString());
    assertThat(copy.exit()).as(copy.err()).isZero();
    assertThat(Files.mismatch(archive.resolve("tree").resolve(tree.relativize(one)), one))
        .isEqualTo(-1);
    assertThat(Files.mismatch(archive.resolve("tree").resolve(tree.relativize(other)), other))
        .isEqualTo(-1);

    Path journal = dir.resolve("scrub.state");
    try (ScrubState s = ScrubState.open(journal)) {
      s.done(one, "OK"); // its text is also the other's: must not make a resumed scrub skip it
    }
    corruptKeepingMtime(other);
    IntactRun.Result scrub = IntactRun.run("scrub", "--state", journal.toString(), tree.toString());
    assertThat(scrub.exit()).isEqualTo(1);
    assertThat(scrub.err()).contains("2 files: 1 OK, 1 FAILED").doesNotContain("interrupted run");
  }

  @Test
  void manifestRefusesANameItCannotSpellWithOneLineAndKeepsTheOthers() throws IOException {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    file(tree, ONE, "first file");
    Path plain = Files.writeString(tree.resolve("plain"), "plain");
    Path manifest = dir.resolve("SUMS");

    IntactRun.Result r =
        IntactRun.run("record", "--manifest", manifest.toString(), tree.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains(": the name is not UTF-8, so a manifest cannot name it; keep its records in")
        .doesNotContain("Exception");
    assertThat(Files.readString(manifest)).contains("#@ ").contains(plain.toString());
    assertThat(Files.readAllLines(manifest).stream().filter(l -> l.startsWith("#@ "))).hasSize(1);
  }
}
