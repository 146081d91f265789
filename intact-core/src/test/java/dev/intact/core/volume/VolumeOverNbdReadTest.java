package dev.intact.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.nbd.client.NbdClient;
import dev.intact.core.nbd.server.NbdExport;
import dev.intact.core.nbd.server.NbdServer;
import dev.intact.core.nbd.server.ServerLimits;
import dev.intact.core.nbd.wire.NbdCommandException;
import dev.intact.core.nbd.wire.NbdErrno;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NBD server's read path over a volume, as fio and qemu drive it: requests of a megabyte and
 * more, answered in chunks (data and holes), that cross blocks at home, blocks still in the
 * journal, trimmed and never-written blocks, each verified before it is sent.
 */
class VolumeOverNbdReadTest {
  private static final int BS = 4096;

  /** 3 MiB: a request of 2 MiB and requests not aligned to blocks fit in it. */
  private static final int BLOCKS = 768;

  @TempDir Path dir;

  /**
   * Blocks 0–399 written and checkpointed home (by a reopen), 100–149 then trimmed, 200–219
   * rewritten into the open journal, 400–767 never written. Returns the expected content; the
   * volume at {@code path} is left closed.
   */
  private static byte[] populate(Path path) throws IOException {
    byte[] model = new byte[BLOCKS * BS];
    byte[] data = new byte[400 * BS];
    new Random(12).nextBytes(data);
    try (Volume v = Volume.create(path, VolumeOptions.of((long) BLOCKS * BS))) {
      v.write(0, data, 0, data.length);
    }
    System.arraycopy(data, 0, model, 0, data.length);
    return model;
  }

  /** The journaled and trimmed parts of {@link #populate}, on a volume open for serving. */
  private static void journalMore(Volume v, byte[] model) throws IOException {
    v.zero(100L * BS, 50L * BS);
    Arrays.fill(model, 100 * BS, 150 * BS, (byte) 0);
    byte[] again = new byte[20 * BS];
    new Random(13).nextBytes(again);
    v.write(200L * BS, again, 0, again.length);
    System.arraycopy(again, 0, model, 200 * BS, again.length);
  }

  private NbdServer serve(Volume v) throws IOException {
    return NbdServer.onUnixSocket(
        dir.resolve("s"), List.of(NbdExport.readWrite("v", v)), ServerLimits.defaults());
  }

  private static byte[] read(NbdClient c, long offset, int length) throws IOException {
    byte[] b = new byte[length];
    c.read(offset, b, 0, length);
    return b;
  }

  private static byte[] slice(byte[] model, long offset, int length) {
    return Arrays.copyOfRange(model, (int) offset, (int) offset + length);
  }

  @Test
  void longReadsReturnEveryKindOfBlockAsWritten() throws IOException {
    Path path = dir.resolve("v.vol");
    byte[] model = populate(path);
    try (Volume v = Volume.open(path, true, null)) {
      journalMore(v, model);
      try (NbdServer server = serve(v);
          NbdClient c = NbdClient.connect(server.uri("v"))) {
        long[][] requests = {
          {0, 2 << 20},
          {2 << 20, 1 << 20},
          {90L * BS + 1234, (1 << 20) + 1},
          {195L * BS - 7, 40 * BS},
          {399L * BS + 1, 2 * BS},
          {600L * BS, 100 * BS},
        };
        for (long[] r : requests) {
          assertThat(read(c, r[0], (int) r[1]))
              .as("%d bytes at %d", r[1], r[0])
              .isEqualTo(slice(model, r[0], (int) r[1]));
        }
      }
    }
  }

  @Test
  void aCorruptBlockInTheMiddleOfALongReadFailsThatRequestWithEioAndNoOther() throws IOException {
    Path path = dir.resolve("v.vol");
    byte[] model = populate(path);
    long bad = 300;
    try (Volume v = Volume.open(path, false, null);
        RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
      long at = v.geometry().dataOffset(bad) + 17;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
    try (Volume v = Volume.open(path, true, null)) {
      journalMore(v, model);
      try (NbdServer server = serve(v);
          NbdClient c = NbdClient.connect(server.uri("v"))) {
        assertThatThrownBy(() -> read(c, 0, 2 << 20))
            .isInstanceOfSatisfying(
                NbdCommandException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.EIO));
        assertThatThrownBy(() -> read(c, bad * BS + BS - 1, 2))
            .isInstanceOf(NbdCommandException.class);
        assertThat(v.mismatches()).isEqualTo(2);
        // The same connection goes on: everything but the bad block reads as written.
        assertThat(read(c, 0, (int) bad * BS)).isEqualTo(slice(model, 0, (int) bad * BS));
        long after = (bad + 1) * BS;
        int rest = (int) (BLOCKS * BS - after);
        assertThat(read(c, after, rest)).isEqualTo(slice(model, after, rest));
      }
    }
  }
}
