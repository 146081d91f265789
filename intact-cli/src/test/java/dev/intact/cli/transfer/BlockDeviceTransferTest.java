package dev.intact.cli.transfer;

import static dev.intact.cli.transfer.TransferCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.cli.transfer.TransferCliTest.Run;
import dev.intact.core.testing.ExternalTool;
import dev.intact.server.TestDaemon;
import dev.intact.server.image.StorageFactory;
import dev.intact.server.ticket.TicketId;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's block-device backend on a real loop device (needs root and util-linux's losetup):
 * size by ioctl, zero runs by BLKZEROOUT over old contents, verification reading the device with
 * O_DIRECT, so damage written behind the daemon's back is caught and repaired.
 */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class BlockDeviceTransferTest {
  // losetup lives in /usr/sbin, which a non-login PATH may lack; Debian ships it in "mount".
  private static final ExternalTool LOSETUP =
      ExternalTool.of(
          Files.isExecutable(Path.of("/usr/sbin/losetup")) ? "/usr/sbin/losetup" : "losetup",
          "mount");
  private static final int SIZE = 8 << 20;

  @TempDir Path dir;
  private final List<String> devices = new ArrayList<>();

  /** A loop device whose every byte is {@code fill}: stale contents a zero run must overwrite. */
  private Path loop(byte fill) throws Exception {
    Path backing = dir.resolve("device" + devices.size() + ".raw");
    byte[] b = new byte[SIZE];
    Arrays.fill(b, fill);
    Files.write(backing, b);
    String dev = LOSETUP.run("--find", "--show", backing.toString()).strip();
    devices.add(dev);
    return Path.of(dev);
  }

  @AfterEach
  void detach() {
    for (String d : devices) {
      LOSETUP.run("-d", d);
    }
  }

  private static byte[] readDevice(Path dev) throws Exception {
    byte[] b = new byte[SIZE];
    try (RandomAccessFile f = new RandomAccessFile(dev.toFile(), "r")) {
      f.readFully(b);
    }
    return b;
  }

  @Test
  void uploadsToAnAllowListedDeviceVerifiesAndRepairsIt() throws Exception {
    Path dev = loop((byte) 0xee);
    Path other = loop((byte) 0x11);
    byte[] data = new byte[SIZE];
    new Random(7).nextBytes(data);
    Arrays.fill(data, 0, 1 << 20, (byte) 0); // a zero run at the start ...
    Arrays.fill(data, 5 << 20, SIZE, (byte) 0); // ... and at the end, over the device's 0xee
    Path src = dir.resolve("src.raw");
    Files.write(src, data);

    try (TestDaemon d =
        TestDaemon.start(dir, StorageFactory.STORAGE, c -> c.withDevices(List.of(dev)))) {
      String cafile = d.server().certificate().toString();
      String url = d.imageUri(d.addTicket(dev, SIZE, true)).toString();

      Run up = run(new UploadCommand(), "--cafile", cafile, src.toString(), url);
      assertThat(up.status()).as(up.err()).isZero();
      assertThat(up.out())
          .startsWith("verified upload blkhash:")
          .contains("(4194304 data, 4194304 zero)");
      assertThat(readDevice(dev))
          .as("the device holds the image, zero runs included")
          .isEqualTo(data);

      // Damage behind the daemon's back, synced to the device: the O_DIRECT check must see it.
      try (RandomAccessFile f = new RandomAccessFile(dev.toFile(), "rw")) {
        f.seek(3 << 20);
        f.write(new byte[] {9, 9, 9, 9});
        f.getFD().sync();
      }
      Run check =
          run(new UploadCommand(), "--cafile", cafile, "--verify-only", src.toString(), url);
      assertThat(check.status()).as(check.out()).isEqualTo(1);
      assertThat(check.err()).contains("verification failed", "the destination's storage has");
      Run repair =
          run(
              new UploadCommand(),
              "--cafile",
              cafile,
              "--verify-only",
              "--repair",
              src.toString(),
              url);
      assertThat(repair.status()).as(repair.err()).isZero();
      assertThat(repair.out()).contains("repaired 1 block");
      assertThat(readDevice(dev)).isEqualTo(data);

      Path down = dir.resolve("down.raw");
      Run dn = run(new DownloadCommand(), "--cafile", cafile, url, down.toString());
      assertThat(dn.status()).as(dn.err()).isZero();
      assertThat(Files.readAllBytes(down)).isEqualTo(data);

      // A device that is not allow-listed is refused when the ticket is added, naming why.
      String id = TicketId.random();
      var refused =
          d.control(
              "PUT",
              id,
              "{\"uuid\":\""
                  + id
                  + "\",\"url\":\""
                  + other.toUri()
                  + "\",\"size\":4096,\"ops\":[\"read\",\"write\"]}");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      assertThat(refused.body()).contains("is not allow-listed");
      assertThat(readDevice(other)[0]).isEqualTo((byte) 0x11);
    }
  }
}
