package dev.intact.core.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.image.LocalImage;
import dev.intact.core.testing.ServerProcess;
import dev.intact.core.testing.SparseImage;
import dev.intact.core.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sparse file exported by Intact's server, seen by libnbd and qemu tools exactly as nbdkit's. */
@SuppressWarnings("try") // ServerProcess.close() waits, so it may throw InterruptedException
class FileExportTest {
  @TempDir Path dir;

  static final SparseImage DISK =
      SparseImage.builder()
          .hole(1 << 20)
          .data(1 << 20, 3)
          .hole(2 << 20)
          .data(4096, 4)
          .hole(1 << 20)
          .build();

  @Test
  void mapAndContentMatchNbdkitServingTheSameFile() throws Exception {
    Path file = DISK.writeTo(dir.resolve("disk.raw"));
    Path ours = dir.resolve("ours.raw");
    Path theirs = dir.resolve("theirs.raw");
    try (LocalImage image = LocalImage.openRead(file);
        NbdServer server =
            NbdServer.onUnixSocket(
                dir.resolve("intact.sock"),
                List.of(NbdExport.readOnly("", image)),
                ServerLimits.defaults());
        ServerProcess nbdkit = ServerProcess.nbdkit(dir, "file", file.toString())) {
      String intactMap = Tools.run(Tools.nbdinfo(), "--map", server.uri("").toString());
      String nbdkitMap = Tools.run(Tools.nbdinfo(), "--map", nbdkit.uri().toString());
      assertThat(intactMap).isEqualTo(nbdkitMap);
      assertThat(intactMap.lines()).hasSize(5);

      Tools.run(Tools.nbdcopy(), server.uri("").toString(), ours.toString());
      Tools.run(Tools.nbdcopy(), nbdkit.uri().toString(), theirs.toString());
      assertThat(Files.readAllBytes(ours))
          .isEqualTo(DISK.bytes())
          .isEqualTo(Files.readAllBytes(theirs));
      Tools.run(
          Tools.qemuImg(),
          "compare",
          "-f",
          "raw",
          "-F",
          "raw",
          file.toString(),
          server.uri("").toString());
    }
  }

  @Test
  void aWritableFileExportTakesACopyFromNbdcopyAndQemuImg() throws Exception {
    Path source = DISK.writeTo(dir.resolve("source.raw"));
    Path target = dir.resolve("target.raw");
    try (LocalImage image = LocalImage.create(target, DISK.size());
        NbdServer server =
            NbdServer.onUnixSocket(
                dir.resolve("intact.sock"),
                List.of(NbdExport.readWrite("t", image)),
                ServerLimits.defaults())) {
      Tools.run(Tools.nbdcopy(), "--flush", source.toString(), server.uri("t").toString());
      assertThat(Files.readAllBytes(target)).isEqualTo(DISK.bytes());
      Tools.run(
          Tools.qemuImg(),
          "convert",
          "-n",
          "-f",
          "raw",
          "-O",
          "raw",
          source.toString(),
          server.uri("t").toString());
      Tools.run(
          Tools.qemuImg(),
          "compare",
          "-f",
          "raw",
          "-F",
          "raw",
          source.toString(),
          server.uri("t").toString());
    }
    // the copy stayed sparse: holes were zeroed by punching, not written
    long allocated = Long.parseLong(Tools.run("stat", "-c", "%b", target.toString()).strip()) * 512;
    assertThat(allocated).isLessThan(2 << 20);
  }
}
