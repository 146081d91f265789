package dev.intact.core.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.format.ImageCreator;
import dev.intact.core.image.Extent;
import dev.intact.core.image.RangeOutOfBoundsException;
import dev.intact.core.image.ReadOnlyImageException;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.testing.QemuNbdLeaks;
import dev.intact.core.testing.ServerProcess;
import dev.intact.core.testing.Tools;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing through NBD: to nbdkit, and to a qcow2 that ImageCreator serves with qemu-nbd. */
@SuppressWarnings("try") // ServerProcess.close() waits, so it may throw InterruptedException
class WritableNbdImageTest {
  @TempDir Path dir;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void writesZeroesAndFlushesThroughNbdkit() throws Exception {
    try (ServerProcess server = ServerProcess.nbdkit(dir, "memory", "size=4M");
        NbdImage image = NbdImage.open(server.uri())) {
      byte[] data = random(3 << 20, 1);
      image.write(0, data, 0, data.length);
      assertThat(image.extentAt(0, 4 << 20).zero()).isFalse();
      image.zero(1 << 20, 1 << 20);
      image.flush();
      byte[] back = new byte[4 << 20];
      image.readDirect(0, back, 0, back.length);
      byte[] want = Arrays.copyOf(data, 4 << 20);
      Arrays.fill(want, 1 << 20, 2 << 20, (byte) 0);
      assertThat(back).isEqualTo(want);
      // The allocation map is asked again after a write, not served from before it.
      Extent hole = image.extentAt(1 << 20, 4 << 20);
      assertThat(hole.zero()).isTrue();
      assertThat(hole.length()).isEqualTo(1 << 20);
    }
  }

  @Test
  void zeroAllocatedSendsNoHoleZeroesThatReadBackAsZeros() throws Exception {
    try (ServerProcess server = ServerProcess.nbdkit(dir, "memory", "size=4M");
        NbdImage image = NbdImage.open(server.uri())) {
      byte[] data = random(4 << 20, 3);
      image.write(0, data, 0, data.length);
      image.zeroAllocated(1 << 20, 2 << 20);
      image.flush();
      byte[] back = new byte[4 << 20];
      image.readDirect(0, back, 0, back.length);
      Arrays.fill(data, 1 << 20, 3 << 20, (byte) 0);
      assertThat(back).isEqualTo(data);
    }
  }

  @Test
  void zeroFallsBackToWritingZerosWhenTheServerCannotWriteZeroes() throws Exception {
    try (ServerProcess server =
            ServerProcess.nbdkit(dir, "--filter=nozero", "memory", "size=1M", "zeromode=none");
        NbdImage image = NbdImage.open(server.uri())) {
      assertThat(image.client().info().has(Nbd.FLAG_SEND_WRITE_ZEROES)).isFalse();
      byte[] ones = new byte[1 << 20];
      Arrays.fill(ones, (byte) 1);
      image.write(0, ones, 0, ones.length);
      image.zero(4096, 8192);
      byte[] back = new byte[1 << 20];
      image.readFully(0, back, 0, back.length);
      Arrays.fill(ones, 4096, 4096 + 8192, (byte) 0);
      assertThat(back).isEqualTo(ones);
    }
  }

  @Test
  void aReadOnlyExportAndRangesPastTheEndAreRefused() throws Exception {
    try (ServerProcess server = ServerProcess.nbdkit(dir, "-r", "memory", "size=1M");
        NbdImage image = NbdImage.open(server.uri())) {
      assertThatThrownBy(() -> image.write(0, new byte[1], 0, 1))
          .isInstanceOf(ReadOnlyImageException.class)
          .hasMessageContaining(server.uri().toString());
      assertThatThrownBy(() -> image.zero(0, 1)).isInstanceOf(ReadOnlyImageException.class);
      assertThatThrownBy(() -> image.write((1 << 20) - 1, new byte[2], 0, 2))
          .isInstanceOf(RangeOutOfBoundsException.class);
      assertThatThrownBy(() -> image.zero(-1, 1)).isInstanceOf(RangeOutOfBoundsException.class);
    }
  }

  @Test
  void aCreatedQcow2HoldsWhatWasWrittenAndKeepsItsHolesUnallocated() throws Exception {
    Set<Path> before = QemuNbdLeaks.socketDirs();
    Path qcow2 = dir.resolve("out.qcow2");
    Path raw = dir.resolve("want.raw");
    int size = 8 << 20;
    byte[] data = random(1 << 20, 2);
    try (WritableImage image = ImageCreator.create(qcow2, "qcow2", size)) {
      assertThat(image.size()).isEqualTo(size);
      image.write(0, data, 0, data.length);
      image.write(6 << 20, data, 0, data.length);
      image.zero(1 << 20, 5 << 20);
      image.flush();
      byte[] back = new byte[data.length];
      image.readDirect(6 << 20, back, 0, back.length);
      assertThat(back).isEqualTo(data);
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
    assertThat(QemuNbdLeaks.socketDirs()).isEqualTo(before);
    try (var f = new java.io.RandomAccessFile(raw.toFile(), "rw")) {
      f.setLength(size);
      f.write(data);
      f.seek(6 << 20);
      f.write(data);
    }
    Tools.run(Tools.qemuImg(), "compare", "-f", "qcow2", "-F", "raw", qcow2.toString(), "" + raw);
    Tools.run(Tools.qemuImg(), "check", "-f", "qcow2", qcow2.toString());
    String map = Tools.run(Tools.qemuImg(), "map", "--output=json", "-f", "qcow2", "" + qcow2);
    // Only the two data megabytes hold clusters; the zeroed run and the tail have none.
    assertThat(map)
        .contains(
            "\"start\": 0, \"length\": 1048576, \"depth\": 0, \"present\": true,"
                + " \"zero\": false, \"data\": true")
        .contains(
            "\"start\": 6291456, \"length\": 1048576, \"depth\": 0, \"present\": true,"
                + " \"zero\": false, \"data\": true");
    assertThat(Files.size(qcow2)).isLessThan(4L << 20);
  }

  @Test
  void creationRefusesAnExistingFileAndUnknownFormatsAndLeavesNothing() throws Exception {
    Path exists = Files.writeString(dir.resolve("exists.qcow2"), "keep me");
    assertThatThrownBy(() -> ImageCreator.create(exists, "qcow2", 1 << 20))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(exists)).isEqualTo("keep me");
    assertThatThrownBy(() -> ImageCreator.create(dir.resolve("x.vmdk"), "vmdk", 1 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raw, qcow2");
    Path noDir = dir.resolve("missing/out.qcow2");
    assertThatThrownBy(() -> ImageCreator.create(noDir, "qcow2", 1 << 20))
        .hasMessageContaining("qemu-img could not create " + noDir);
    assertThat(noDir).doesNotExist();
    try (WritableImage raw = ImageCreator.create(dir.resolve("out.raw"), "raw", 12345)) {
      assertThat(raw.size()).isEqualTo(12345);
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
  }
}
