package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intact sum} on disk images in qemu formats and OVA members: block-hash lists describe the
 * guest's disk (a raw and a qcow2 copy agree, as with blksum), whole-stream algorithms the file's
 * own bytes (as sha256sum) unless {@code --format} or {@code --member} asks for the guest view.
 */
class SumImageFormatsTest {
  private static final ExternalTool QEMU_IMG = ExternalTool.of("qemu-img", "qemu-utils");
  private static final ExternalTool SHA256SUM = ExternalTool.of("sha256sum", "coreutils");
  private static final ExternalTool TAR = ExternalTool.of("tar", "tar");

  @TempDir static Path dir;
  static Path raw;
  static Path qcow2;
  static Path ova;

  @BeforeAll
  static void images() throws IOException {
    raw = dir.resolve("disk.raw");
    byte[] data = new byte[3 << 20];
    new Random(42).nextBytes(data);
    try (var ch =
        java.nio.channels.FileChannel.open(
            raw,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(data), 5 << 20); // a hole before, data, a hole after
      ch.truncate(16 << 20);
      ch.write(java.nio.ByteBuffer.allocate(1), (16 << 20) - 1);
    }
    qcow2 = dir.resolve("disk.qcow2");
    QEMU_IMG.run("convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
    ova = dir.resolve("vm.ova");
    TAR.run("-C", dir.toString(), "-cf", ova.toString(), "disk.qcow2");
  }

  private static String value(IntactRun.Result r) {
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().split(" ", 2)[0];
  }

  @Test
  void blockHashListsOfRawQcow2AndOvaMemberAgree() {
    for (String alg : new String[] {"blkhash", "imageio"}) {
      String expected = value(IntactRun.run("sum", "-a", alg, raw.toString()));
      assertThat(value(IntactRun.run("sum", "-a", alg, qcow2.toString()))).isEqualTo(expected);
      assertThat(value(IntactRun.run("sum", "-a", alg, "--member", "disk.qcow2", ova.toString())))
          .isEqualTo(expected);
    }
  }

  @Test
  void wholeStreamSumsTheFileItselfLikeSha256sum() {
    String fileBytes = SHA256SUM.run(qcow2.toString()).split(" ", 2)[0];
    assertThat(value(IntactRun.run("sum", "-a", "sha256", qcow2.toString()))).isEqualTo(fileBytes);
  }

  @Test
  void formatOrMemberGivesTheGuestViewToWholeStreamAlgorithms() {
    String guest = SHA256SUM.run(raw.toString()).split(" ", 2)[0];
    assertThat(value(IntactRun.run("sum", "-a", "sha256", "-f", "qcow2", qcow2.toString())))
        .isEqualTo(guest);
    assertThat(
            value(IntactRun.run("sum", "-a", "sha256", "--member", "disk.qcow2", ova.toString())))
        .isEqualTo(guest);
  }

  @Test
  void aMissingMemberIsOneLineNamingIt() throws IOException {
    IntactRun.Result r = IntactRun.run("sum", "--member", "nope.vmdk", ova.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("intact: ").contains("nope.vmdk").doesNotContain("\n");
    assertThat(Files.exists(ova)).isTrue();
  }
}
