package dev.intact.core.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.nbd.wire.BlockDescriptor;
import dev.intact.core.nbd.wire.BlockStatusReply;
import dev.intact.core.nbd.wire.Command;
import dev.intact.core.nbd.wire.ExportInfo;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCommandException;
import dev.intact.core.nbd.wire.NbdErrno;
import dev.intact.core.nbd.wire.NbdOptionException;
import dev.intact.core.testing.ServerProcess;
import dev.intact.core.testing.Tools;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intact's client against real servers: nbdkit (memory, file, error filter) and qemu-nbd. */
@SuppressWarnings("try") // ServerProcess.close() waits, so it may throw InterruptedException
public class NbdClientTest {
  @TempDir Path dir;

  @Test
  void writesReadsAndZeroesAnNbdkitMemoryDisk() throws Exception {
    try (ServerProcess server = ServerProcess.nbdkit(dir, "memory", "size=4M");
        NbdClient client = NbdClient.connect(server.uri())) {
      ExportInfo info = client.info();
      assertThat(info.size()).isEqualTo(4 << 20);
      assertThat(info.readOnly()).isFalse();
      assertThat(info.structuredReplies()).isTrue();
      assertThat(info.metaContexts()).contains(Nbd.BASE_ALLOCATION);

      byte[] data = random(300_000, 1);
      client.write(100_000, data, 0, data.length, true);
      client.flush();
      byte[] back = new byte[data.length];
      client.read(100_000, back, 0, back.length);
      assertThat(back).isEqualTo(data);

      client.writeZeroes(150_000, 10_000, false, false);
      client.read(100_000, back, 0, back.length);
      byte[] expected = data.clone();
      Arrays.fill(expected, 50_000, 60_000, (byte) 0);
      assertThat(back).isEqualTo(expected);

      client.trim(0, 1 << 20);
      BlockStatusReply status = client.blockStatus(1 << 20, 3 << 20, false);
      List<BlockDescriptor> base = status.of(Nbd.BASE_ALLOCATION);
      assertThat(base).isNotEmpty();
      assertThat(base.getFirst().flags() & Nbd.STATE_ZERO).isEqualTo(Nbd.STATE_ZERO);
    }
  }

  @Test
  void keepsManyRequestsInFlightOnOneConnection() throws Exception {
    Path file = dir.resolve("disk.raw");
    byte[] content = random(2 << 20, 2);
    Files.write(file, content);
    try (ServerProcess server = ServerProcess.nbdkit(dir, "file", file.toString());
        NbdClient client = NbdClient.connect(server.uri())) {
      int chunk = 16 * 1024;
      byte[] back = new byte[content.length];
      List<CompletableFuture<Void>> pending = new ArrayList<>();
      // Issue every read before waiting for any: replies come back in whatever order.
      for (int off = content.length - chunk; off >= 0; off -= chunk) {
        pending.add(client.readAsync(off, back, off, chunk));
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
      assertThat(back).isEqualTo(content);
    }
  }

  @Test
  void reportsHolesOfASparseFileThroughBlockStatus() throws Exception {
    Path file = dir.resolve("sparse.raw");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(8 << 20);
      f.seek(2 << 20);
      f.write(random(1 << 20, 3));
    }
    try (ServerProcess server = ServerProcess.nbdkit(dir, "file", file.toString());
        NbdClient client = NbdClient.connect(server.uri())) {
      List<BlockDescriptor> map = new ArrayList<>();
      long offset = 0;
      while (offset < client.size()) {
        List<BlockDescriptor> d =
            client.blockStatus(offset, client.size() - offset, false).of(Nbd.BASE_ALLOCATION);
        map.addAll(d);
        offset += d.stream().mapToLong(BlockDescriptor::length).sum();
      }
      assertThat(offset).isEqualTo(client.size());
      // first 2 MiB hole, 1 MiB data, then hole to the end
      assertThat(map.getFirst().flags()).isEqualTo(Nbd.STATE_HOLE | Nbd.STATE_ZERO);
      assertThat(map.getFirst().length()).isEqualTo(2 << 20);
      assertThat(map.get(1)).isEqualTo(new BlockDescriptor(1 << 20, 0));
      assertThat(map.get(2).flags()).isEqualTo(Nbd.STATE_HOLE | Nbd.STATE_ZERO);
    }
  }

  @Test
  void anInjectedReadErrorFailsOnlyThatRequest() throws Exception {
    try (ServerProcess server =
            ServerProcess.nbdkit(
                dir, "--filter=error", "memory", "size=1M", "error=EIO", "error-pread-rate=1");
        NbdClient client = NbdClient.connect(server.uri())) {
      byte[] buf = new byte[4096];
      assertThatThrownBy(() -> client.read(4096, buf, 0, buf.length))
          .isInstanceOfSatisfying(
              NbdCommandException.class,
              e -> {
                assertThat(e.errno()).isEqualTo(NbdErrno.EIO);
                assertThat(e.command()).isEqualTo(Command.READ);
                assertThat(e.offset()).isEqualTo(4096);
              });
      // the connection survives an error reply
      client.write(0, buf, 0, buf.length, false);
    }
  }

  @Test
  void anInjectedWriteErrorCarriesTheServersErrno() throws Exception {
    try (ServerProcess server =
            ServerProcess.nbdkit(
                dir, "--filter=error", "memory", "size=1M", "error=ENOSPC", "error-pwrite-rate=1");
        NbdClient client = NbdClient.connect(server.uri())) {
      byte[] buf = random(8192, 4);
      assertThatThrownBy(() -> client.write(0, buf, 0, buf.length, false))
          .isInstanceOfSatisfying(
              NbdCommandException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.ENOSPC))
          .hasMessageContaining("NBD_CMD_WRITE");
    }
  }

  @Test
  void unknownExportIsRefusedDuringTheHandshake() throws Exception {
    Path file = dir.resolve("a.raw");
    Files.write(file, new byte[4096]);
    try (ServerProcess server =
        ServerProcess.qemuNbd(dir, "--export-name=a", "--format=raw", file.toString())) {
      assertThatThrownBy(() -> NbdClient.connect(server.uri("b")))
          .isInstanceOf(NbdOptionException.class)
          .hasMessageContaining("NBD_REP_ERR_UNKNOWN");
      try (NbdClient client = NbdClient.connect(server.uri("a"))) {
        assertThat(client.size()).isEqualTo(4096);
      }
    }
  }

  @Test
  void readsAQcow2ImageThroughQemuNbdWithAllocationDepth() throws Exception {
    Path raw = dir.resolve("disk.raw");
    try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
      f.setLength(4 << 20);
      f.seek(1 << 20);
      f.write(random(65536, 5));
    }
    Path qcow2 = dir.resolve("disk.qcow2");
    Tools.run(
        Tools.qemuImg(), "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
    try (ServerProcess server =
            ServerProcess.qemuNbd(
                dir, "--read-only", "--allocation-depth", "--format=qcow2", qcow2.toString());
        NbdClient client = NbdClient.connect(server.uri())) {
      assertThat(client.info().readOnly()).isTrue();
      assertThat(client.info().metaContexts())
          .containsExactlyInAnyOrder(Nbd.BASE_ALLOCATION, Nbd.QEMU_ALLOCATION_DEPTH);
      byte[] back = new byte[4 << 20];
      for (int off = 0; off < back.length; off += 1 << 20) {
        client.read(off, back, off, 1 << 20);
      }
      assertThat(back).isEqualTo(Files.readAllBytes(raw));
      BlockStatusReply s = client.blockStatus(0, 4 << 20, false);
      assertThat(s.of(Nbd.QEMU_ALLOCATION_DEPTH).getFirst().flags()).isZero(); // unallocated
      assertThatThrownBy(() -> client.write(0, back, 0, 512, false))
          .isInstanceOf(NbdCommandException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void queriesAnExportWithOptInfoWithoutEnteringTransmission() throws Exception {
    Path file = dir.resolve("q.raw");
    Files.write(file, new byte[8192]);
    // qemu-nbd serves one client at a time (--shared=1 is its default): a query must not hold it.
    try (ServerProcess server =
        ServerProcess.nbdkit(
            dir,
            "--filter=blocksize-policy",
            "file",
            file.toString(),
            "blocksize-minimum=512",
            "blocksize-error-policy=error")) {
      ExportInfo info = NbdClient.query(server.uri(), NbdClient.Options.defaults());
      assertThat(info.size()).isEqualTo(8192);
      assertThat(info.minimumBlockSize()).isEqualTo(512);
      assertThat(info.metaContexts()).contains(Nbd.BASE_ALLOCATION);
      try (NbdClient client = NbdClient.connect(server.uri())) {
        assertThat(client.info().minimumBlockSize()).isEqualTo(512);
        // an unaligned read through NbdImage is widened to the server's minimum block size
        NbdImage image = NbdImage.of(client, "q", null);
        byte[] b = new byte[100];
        image.readFully(10, b, 0, b.length);
        assertThat(b).containsOnly((byte) 0);
        // the server really enforces it: the same read sent as is fails
        assertThatThrownBy(() -> client.read(10, b, 0, b.length))
            .isInstanceOfSatisfying(
                NbdCommandException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.EINVAL));
      }
    }
  }

  public static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
