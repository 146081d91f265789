package dev.intact.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.posix.Xattrs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive gate's read-back: a copy that reads back other than what was written (a medium that
 * lies, seen through the gate's read-back seam since this kernel has neither device-mapper's flakey
 * target nor an NBD client to make a real one) is refused, and nothing of it is left.
 */
class ArchiveGateReadBackTest {
  private static final long FLIPPED = 200_001;

  @TempDir Path dir;

  private Path source(byte[] data) throws IOException {
    Path p = dir.resolve("src/run.root");
    Files.createDirectories(p.getParent());
    return Files.write(p, data);
  }

  private static String adler32(byte[] data) {
    Adler32 a = new Adler32();
    a.update(data);
    return HexFormat.of().toHexDigits((int) a.getValue());
  }

  private static List<Path> entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  @Test
  void copyThatReadsBackWithAFlippedBitIsRefusedRecordedOnTheSourceAndLeavesNothing()
      throws IOException {
    byte[] data = new byte[300_000];
    new Random(13).nextBytes(data);
    Path src = source(data);
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path dest = archive.resolve("run.root");
    AtomicBoolean lied = new AtomicBoolean();
    ArchiveGate gate =
        new ArchiveGate(
            direct ->
                (pos, dst, off, len) -> {
                  direct.readFully(pos, dst, off, len);
                  if (FLIPPED >= pos && FLIPPED < pos + len) {
                    dst[off + (int) (FLIPPED - pos)] ^= 0x10;
                    lied.set(true);
                  }
                });

    assertThatThrownBy(
            () -> gate.archive(src, dest, List.of(ChecksumRequest.parse("adler32")), n -> {}))
        .isInstanceOf(ArchiveRefusedException.class)
        .hasMessageContaining(
            "checksum value mismatch adler32 expected=" + adler32(data) + " actual=")
        .hasMessageContaining("(the copy read back from " + archive + "/.run.root.");

    assertThat(lied).isTrue();
    assertThat(entries(archive)).isEmpty();
    String error =
        new String(
            Xattrs.get(new Xattrs.OnPath(src), ArchiveGate.ERROR_ATTRIBUTE).orElseThrow(),
            StandardCharsets.UTF_8);
    assertThat(error).contains("checksum value mismatch adler32 expected=" + adler32(data));
    assertThat(Files.readAllBytes(src)).isEqualTo(data);
  }

  @Test
  void sameCopyReadBackFaithfullyIsArchived() throws IOException {
    byte[] data = new byte[300_000];
    new Random(13).nextBytes(data);
    Path src = source(data);
    Path dest = Files.createDirectories(dir.resolve("archive")).resolve("run.root");

    ArchiveGate.Archived done =
        new ArchiveGate().archive(src, dest, List.of(ChecksumRequest.parse("adler32")), n -> {});

    assertThat(done.checksums().getFirst().value().toHex()).isEqualTo(adler32(data));
    assertThat(Files.readAllBytes(dest)).isEqualTo(data);
    assertThat(Xattrs.get(new Xattrs.OnPath(src), ArchiveGate.ERROR_ATTRIBUTE)).isEmpty();
  }
}
