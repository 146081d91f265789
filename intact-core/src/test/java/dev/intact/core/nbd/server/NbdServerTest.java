package dev.intact.core.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.nbd.client.NbdClient;
import dev.intact.core.nbd.client.NbdClientTest;
import dev.intact.core.nbd.client.NbdUri;
import dev.intact.core.nbd.wire.BlockDescriptor;
import dev.intact.core.nbd.wire.BlockStatusReply;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCommandException;
import dev.intact.core.nbd.wire.NbdErrno;
import dev.intact.core.nbd.wire.NbdOptionException;
import dev.intact.core.testing.MemoryImage;
import dev.intact.core.testing.Tools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intact's server against Intact's client and against libnbd's and qemu's tools. */
class NbdServerTest {
  @TempDir Path dir;

  /** 4 MiB: 1 MiB data, 2 MiB zeros, 1 MiB data. */
  static byte[] content() {
    byte[] b = NbdClientTest.random(4 << 20, 7);
    Arrays.fill(b, 1 << 20, 3 << 20, (byte) 0);
    return b;
  }

  @Test
  void servesReadsWritesZeroesAndBlockStatusToIntactsClient() throws Exception {
    MemoryImage image = new MemoryImage("mem", content());
    try (NbdServer server =
            NbdServer.onUnixSocket(
                dir.resolve("s"),
                List.of(NbdExport.readWrite("disk", image)),
                ServerLimits.defaults());
        NbdClient client = NbdClient.connect(server.uri("disk"))) {
      assertThat(client.size()).isEqualTo(4 << 20);
      assertThat(client.info().metaContexts()).containsExactly(Nbd.BASE_ALLOCATION);
      byte[] all = new byte[4 << 20];
      for (int off = 0; off < all.length; off += 1 << 20) {
        client.read(off, all, off, 1 << 20);
      }
      assertThat(all).isEqualTo(content());

      BlockStatusReply s = client.blockStatus(0, 4 << 20, false);
      assertThat(s.of(Nbd.BASE_ALLOCATION))
          .containsExactly(
              new BlockDescriptor(1 << 20, 0),
              new BlockDescriptor(2 << 20, Nbd.STATE_HOLE | Nbd.STATE_ZERO),
              new BlockDescriptor(1 << 20, 0));
      assertThat(client.blockStatus(0, 4 << 20, true).of(Nbd.BASE_ALLOCATION)).hasSize(1);

      byte[] data = NbdClientTest.random(10_000, 8);
      client.write(2 << 20, data, 0, data.length, true);
      assertThat(image.flushes).isEqualTo(1);
      client.writeZeroes(0, 8192, false, false);
      client.trim(8192, 4096);
      client.writeZeroes(12288, 4096, true, false);
      client.flush();
      byte[] expected = content();
      System.arraycopy(data, 0, expected, 2 << 20, data.length);
      Arrays.fill(expected, 0, 16384, (byte) 0);
      assertThat(image.content()).isEqualTo(expected);
    }
  }

  @Test
  void rejectsOutOfRangeAndReadOnlyRequestsWithTheProtocolsErrors() throws Exception {
    MemoryImage ro = new MemoryImage("ro", 1 << 20);
    MemoryImage rw = new MemoryImage("rw", 1 << 20);
    try (NbdServer server =
            NbdServer.onUnixSocket(
                dir.resolve("s"),
                List.of(NbdExport.readOnly("ro", ro), NbdExport.readWrite("rw", rw)),
                ServerLimits.defaults());
        NbdClient roClient = NbdClient.connect(server.uri("ro"));
        NbdClient rwClient = NbdClient.connect(server.uri("rw"))) {
      byte[] buf = new byte[8192];
      assertThat(roClient.info().readOnly()).isTrue();
      assertThatThrownBy(() -> rwClient.read((1 << 20) - 4096, buf, 0, 8192))
          .isInstanceOfSatisfying(
              NbdCommandException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.EINVAL));
      assertThatThrownBy(() -> rwClient.write((1 << 20) - 4096, buf, 0, 8192, false))
          .isInstanceOfSatisfying(
              NbdCommandException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.ENOSPC));
      assertThatThrownBy(() -> rwClient.blockStatus(1 << 20, 1, false))
          .isInstanceOfSatisfying(
              NbdCommandException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.EINVAL));
      // the connection is still fine after error replies
      rwClient.read(0, buf, 0, 8192);
      assertThatThrownBy(() -> NbdClient.connect(server.uri("nope")))
          .isInstanceOf(NbdOptionException.class)
          .hasMessageContaining("NBD_REP_ERR_UNKNOWN")
          .hasMessageContaining("nope");
    }
  }

  @Test
  void aConnectionBeyondTheCapIsClosedWhileTheOthersKeepServing() throws Exception {
    MemoryImage image = new MemoryImage("mem", content());
    try (NbdServer server =
            NbdServer.onUnixSocket(
                dir.resolve("s"),
                List.of(NbdExport.readOnly("disk", image)),
                ServerLimits.defaults().withMaxConnections(2));
        NbdClient b = NbdClient.connect(server.uri("disk"))) {
      // Not a resource: the test closes it half-way to free a slot.
      NbdClient a = NbdClient.connect(server.uri("disk"));
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> NbdClient.connect(server.uri("disk")).close())
            .isInstanceOf(IOException.class);
      }
      byte[] buf = new byte[4096];
      a.read(0, buf, 0, buf.length);
      b.read(4096, buf, 0, buf.length);
      assertThat(buf).isEqualTo(Arrays.copyOfRange(content(), 4096, 8192));
      a.close();
      // The freed slot serves again once the server has seen the close.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (true) {
        try (NbdClient c = NbdClient.connect(server.uri("disk"))) {
          assertThat(c.size()).isEqualTo(4 << 20);
          break;
        } catch (IOException refused) {
          assertThat(System.nanoTime()).as("a slot to free up").isLessThan(deadline);
          LockSupport.parkNanos(10_000_000);
        }
      }
    }
  }

  @Test
  void aCapBelowOneIsRefused() {
    assertThatThrownBy(() -> ServerLimits.defaults().withMaxConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 connection");
  }

  @Test
  void servesOverTcpToo() throws Exception {
    MemoryImage image = new MemoryImage("mem", content());
    try (NbdServer server =
            NbdServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(NbdExport.readOnly("", image)),
                ServerLimits.defaults());
        NbdClient client = NbdClient.connect(NbdUri.parse(server.uri("").toString()))) {
      byte[] b = new byte[4096];
      client.read(0, b, 0, b.length);
      assertThat(b).isEqualTo(Arrays.copyOf(content(), 4096));
    }
  }

  @Test
  void nbdinfoSeesTheSizeAndTheMap() throws Exception {
    MemoryImage image = new MemoryImage("mem", content());
    try (NbdServer server =
        NbdServer.onUnixSocket(
            dir.resolve("s"),
            List.of(NbdExport.readOnly("disk", image)),
            ServerLimits.defaults())) {
      String uri = server.uri("disk").toString();
      assertThat(Tools.run(Tools.nbdinfo(), "--size", uri).strip())
          .isEqualTo(String.valueOf(4 << 20));
      String map = Tools.run(Tools.nbdinfo(), "--map", uri);
      assertThat(map.lines().map(String::strip).map(l -> l.replaceAll("\\s+", " ")))
          .containsExactly(
              "0 1048576 0 data", "1048576 2097152 3 hole,zero", "3145728 1048576 0 data");
      assertThat(Tools.run(Tools.nbdinfo(), "--list", "--json", uri))
          .contains("\"export-name\": \"disk\"");
    }
  }

  @Test
  void nbdcopyCopiesOutOfAndIntoTheServer() throws Exception {
    MemoryImage source = new MemoryImage("src", content());
    MemoryImage target = new MemoryImage("dst", 4 << 20);
    try (NbdServer server =
        NbdServer.onUnixSocket(
            dir.resolve("s"),
            List.of(NbdExport.readOnly("src", source), NbdExport.readWrite("dst", target)),
            ServerLimits.defaults())) {
      Path out = dir.resolve("out.raw");
      Tools.run(Tools.nbdcopy(), server.uri("src").toString(), out.toString());
      assertThat(Files.readAllBytes(out)).isEqualTo(content());
      Tools.run(Tools.nbdcopy(), out.toString(), server.uri("dst").toString());
      assertThat(target.content()).isEqualTo(content());
    }
  }

  @Test
  void qemuImgConvertsAndComparesThroughTheServer() throws Exception {
    MemoryImage source = new MemoryImage("src", content());
    Path raw = dir.resolve("disk.raw");
    Files.write(raw, content());
    try (NbdServer server =
        NbdServer.onUnixSocket(
            dir.resolve("s"),
            List.of(NbdExport.readOnly("src", source)),
            ServerLimits.defaults())) {
      String uri = server.uri("src").toString();
      Tools.run(Tools.qemuImg(), "compare", "-f", "raw", "-F", "raw", raw.toString(), uri);
      Path qcow2 = dir.resolve("copy.qcow2");
      Tools.run(Tools.qemuImg(), "convert", "-f", "raw", "-O", "qcow2", uri, qcow2.toString());
      Tools.run(
          Tools.qemuImg(), "compare", "-f", "raw", "-F", "qcow2", raw.toString(), qcow2.toString());
    }
  }
}
