package dev.intact.core.flash;

import static dev.intact.core.flash.LocalFlashTest.flash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.bmap.BmapFixtures;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.Posix;
import dev.intact.core.testing.ExternalTool;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flashing a real block device: a loop device (needs root and util-linux's losetup). */
class LoopDeviceTest {
  // losetup lives in /usr/sbin, which a non-login PATH may lack; Debian ships it in "mount".
  private static final ExternalTool LOSETUP =
      ExternalTool.of(
          Files.isExecutable(Path.of("/usr/sbin/losetup")) ? "/usr/sbin/losetup" : "losetup",
          "mount");

  @TempDir Path dir;
  private final List<String> devices = new ArrayList<>();

  private Path loop(long size, byte fill) throws Exception {
    Path backing = dir.resolve("disk" + devices.size() + ".raw");
    byte[] b = new byte[(int) size];
    Arrays.fill(b, fill);
    Files.write(backing, b);
    // A failure names losetup's reason (it needs root and /dev/loop-control).
    String dev = LOSETUP.run("--find", "--show", backing.toString()).strip();
    devices.add(dev);
    return Path.of(dev);
  }

  @AfterEach
  void detach() throws Exception {
    for (String d : devices) {
      LOSETUP.run("-d", d);
    }
  }

  @Test
  void aLoopDeviceBackedByTheOtherSideIsRefusedEitherWay() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    Path bmap = dir.resolve("gold.img.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    byte[] gold = Files.readAllBytes(img);
    String dev = LOSETUP.run("--find", "--show", img.toString()).strip();
    devices.add(dev);
    assertThatThrownBy(() -> flash(img.toString(), Path.of(dev), bmap, FlashOptions.DEFAULTS))
        .isInstanceOf(SameFileException.class)
        .hasMessage(
            "refusing to flash "
                + img
                + " onto "
                + dev
                + ": "
                + dev
                + " is a loop device backed by "
                + img
                + "; nothing was written");
    assertThatThrownBy(() -> flash(dev, img, bmap, FlashOptions.DEFAULTS))
        .isInstanceOf(SameFileException.class)
        .hasMessageContaining(dev + " is a loop device backed by " + img);
    assertThatThrownBy(() -> flash(dev, Path.of(dev), bmap, FlashOptions.DEFAULTS))
        .isInstanceOf(SameFileException.class)
        .hasMessageContaining("they are the same file");
    assertThat(Files.readAllBytes(img)).isEqualTo(gold);
  }

  @Test
  void flashesVerifiesAndRefusesBusyOrSmallDevices() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    Path bmap = dir.resolve("gold.img.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    byte[] gold = Files.readAllBytes(img);

    Path dev = loop(2 << 20, (byte) 0xee);
    var out = flash(img.toString(), dev, bmap, FlashOptions.DEFAULTS);
    assertThat(out.report().succeeded()).isTrue();
    assertThat(out.report().readBack()).as("read-back is on by default for devices").isTrue();
    assertThat(out.report().rangesVerified()).isEqualTo(3);
    assertThat(out.marker()).isEmpty();
    byte[] onDevice = new byte[gold.length];
    try (RandomAccessFile f = new RandomAccessFile(dev.toFile(), "r")) {
      f.readFully(onDevice);
    }
    // Mapped blocks are the image's; unmapped ones are left as they were (as bmaptool does).
    assertThat(Arrays.copyOfRange(onDevice, 0, 10)).isEqualTo(Arrays.copyOfRange(gold, 0, 10));
    assertThat(Arrays.equals(onDevice, 64 * 4096, 67 * 4096, gold, 64 * 4096, 67 * 4096))
        .as("blocks 64-66")
        .isTrue();
    assertThat(Arrays.equals(onDevice, 256 * 4096, gold.length, gold, 256 * 4096, gold.length))
        .as("the partial last block")
        .isTrue();
    assertThat(onDevice[4096]).isEqualTo((byte) 0xee);

    // Busy: another program holds the device exclusively (as a mount does).
    try (NativeFile _ = Posix.open(dev, Posix.O_RDONLY | Posix.O_EXCL, 0)) {
      assertThatThrownBy(() -> flash(img.toString(), dev, bmap, FlashOptions.DEFAULTS))
          .isInstanceOf(TargetBusyException.class)
          .hasMessage(
              dev
                  + ": is busy (mounted, or opened exclusively by another program); unmount it"
                  + " first. Nothing was written");
    }

    // Too small: refused before anything is written.
    Path small = loop(512 * 1024, (byte) 0x11);
    assertThatThrownBy(() -> flash(img.toString(), small, bmap, FlashOptions.DEFAULTS))
        .isInstanceOf(TargetTooSmallException.class)
        .hasMessage(
            small
                + ": is 524288 bytes, smaller than the image (1049000 bytes); nothing was written");
    byte[] smallBytes = new byte[512 * 1024];
    try (RandomAccessFile f = new RandomAccessFile(small.toFile(), "r")) {
      f.readFully(smallBytes);
    }
    byte[] untouched = new byte[512 * 1024];
    Arrays.fill(untouched, (byte) 0x11);
    assertThat(Arrays.equals(smallBytes, untouched)).as("the small device is untouched").isTrue();
  }
}
