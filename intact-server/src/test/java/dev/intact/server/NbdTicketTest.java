package dev.intact.server;

import static dev.intact.server.TicketApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.server.ticket.TicketId;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tickets whose url is an NBD export (qemu-nbd serving a qcow2, nbdkit), as ovirt-imageio's engine
 * hands them out: confined to allow-listed sockets and hosts, read, written, zeroed, mapped and
 * checksummed through the daemon, and a dying NBD server is a clean error.
 */
@SuppressWarnings("try") // NbdPeer.close() waits, so it may throw InterruptedException
class NbdTicketTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MIB = 1 << 20;
  @TempDir static Path dir;
  static Path sockets;
  static TestDaemon daemon;

  @BeforeAll
  static void start() throws Exception {
    sockets = Files.createDirectories(dir.resolve("nbd"));
    daemon =
        TestDaemon.start(
            dir,
            dev.intact.server.image.StorageFactory.STORAGE,
            c ->
                c.withNbdSocketDirs(List.of(sockets))
                    .withNbdHosts(List.of("127.0.0.1:1", "localhost")));
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return daemon.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static String checksumJob(String id) throws Exception {
    String job =
        ChecksumJobTest.start(
            daemon, "images/" + id + "/checksum-jobs", "{\"checksum_algorithm\":\"sha256\"}");
    JsonNode s = ChecksumJobTest.await(daemon, "images/" + id + "/checksum-jobs/" + job);
    assertThat(s.get("execution_status").asText()).as(s.toString()).isEqualTo("finished");
    return s.get("checksum_value").asText();
  }

  @Test
  void writesThroughQemuNbdLandInTheQcow2WithHolesLeftUnallocated() throws Exception {
    Path qcow2 = dir.resolve("dst.qcow2");
    NbdPeer.QEMU_IMG.run("create", "-q", "-f", "qcow2", qcow2.toString(), "8M");
    byte[] want = new byte[8 * MIB];
    byte[] a = random(MIB, 1);
    byte[] b = random(MIB, 2);
    System.arraycopy(a, 0, want, 0, MIB);
    System.arraycopy(b, 0, want, 6 * MIB, MIB);
    try (NbdPeer qemu = NbdPeer.qemuNbd(sockets.resolve("q.sock"), "qcow2", qcow2)) {
      String id = daemon.addTicket(qemu.url() + ":exportname=", 8 * MIB, true);
      HttpRequest.Builder put = HttpRequest.newBuilder(daemon.imageUri(id));
      assertThat(send(put.copy().PUT(HttpRequest.BodyPublishers.ofByteArray(a))).statusCode())
          .isEqualTo(200);
      assertThat(
              send(put.copy()
                      .header("Content-Range", "bytes 6291456-7340031/*")
                      .PUT(HttpRequest.BodyPublishers.ofByteArray(b)))
                  .statusCode())
          .isEqualTo(200);
      // A stale byte the zero request must clear, written through the same export.
      assertThat(
              send(put.copy()
                      .header("Content-Range", "bytes 3145728-3145728/*")
                      .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {7})))
                  .statusCode())
          .isEqualTo(200);
      HttpResponse<String> zero =
          daemon.data(
              "PATCH",
              "images/" + id,
              "{\"op\":\"zero\",\"offset\":1048576,\"size\":5242880,\"flush\":true}");
      assertThat(zero.statusCode()).as(zero.body()).isEqualTo(200);
      assertThat(checksumJob(id)).isEqualTo(sha256(want));
      assertThat(send(HttpRequest.newBuilder(daemon.imageUri(id)).GET()).body()).isEqualTo(want);
      assertThat(daemon.control("DELETE", id, null).statusCode()).isEqualTo(204);
    }
    Path raw = Files.write(dir.resolve("want.raw"), want);
    NbdPeer.QEMU_IMG.run("compare", "-f", "qcow2", "-F", "raw", qcow2.toString(), raw.toString());
    NbdPeer.QEMU_IMG.run("check", "-q", "-f", "qcow2", qcow2.toString());
    // 2 MiB of data and the qcow2's metadata: the zeroed 5 MiB took no clusters.
    assertThat(Files.size(qcow2)).isLessThan(4L * MIB);
  }

  @Test
  void readsAndExtentsFromNbdkitMatchTheFileAndQemuImgMap() throws Exception {
    Path file = dir.resolve("src.raw");
    byte[] data = random(MIB, 3);
    try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(8 * MIB);
      f.seek(2 * MIB);
      f.write(data);
      f.seek(7 * MIB);
      f.write(data, 0, 4096);
    }
    try (NbdPeer kit = NbdPeer.nbdkit(sockets.resolve("k.sock"), "file", file.toString())) {
      String id = daemon.addTicket("nbd+unix:///?socket=" + kit.socket(), 8 * MIB, false);
      byte[] got = send(HttpRequest.newBuilder(daemon.imageUri(id)).GET()).body();
      assertThat(got).isEqualTo(Files.readAllBytes(file));
      HttpResponse<byte[]> part =
          send(
              HttpRequest.newBuilder(daemon.imageUri(id)).header("Range", "bytes=2097152-2101247"));
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).isEqualTo(Arrays.copyOf(data, 4096));
      assertThat(checksumJob(id)).isEqualTo(sha256(got));

      JsonNode ours = JSON.readTree(daemon.data("GET", "images/" + id + "/extents", null).body());
      JsonNode qemus =
          JSON.readTree(
              NbdPeer.QEMU_IMG.run("map", "--output=json", "nbd+unix:///?socket=" + kit.socket()));
      assertThat(zeroMap(ours, "zero")).isEqualTo(zeroMap(qemus, "zero"));
      assertThat(zeroMap(ours, "zero")).hasSize(5);
      // nbdkit waits for its clients before it exits: let go of the connection first.
      assertThat(daemon.control("DELETE", id, null).statusCode()).isEqualTo(204);
    }
  }

  /** {@code [start, length, zero]} runs, adjacent runs of one kind merged. */
  static List<List<Long>> zeroMap(JsonNode extents, String zeroField) {
    List<List<Long>> out = new ArrayList<>();
    for (JsonNode e : extents) {
      long zero = e.get(zeroField).asBoolean() ? 1 : 0;
      long start = e.get("start").asLong();
      long length = e.get("length").asLong();
      if (!out.isEmpty() && out.getLast().get(2) == zero) {
        List<Long> last = out.removeLast();
        out.add(List.of(last.get(0), last.get(1) + length, zero));
      } else {
        out.add(List.of(start, length, zero));
      }
    }
    return out;
  }

  HttpResponse<String> addRaw(String url, boolean write) throws Exception {
    String id = TicketId.random();
    return daemon.control(
        "PUT",
        id,
        "{\"uuid\":\""
            + id
            + "\",\"url\":\""
            + url
            + "\",\"size\":4096,\"ops\":"
            + (write ? "[\"read\",\"write\"]" : "[\"read\"]")
            + "}");
  }

  @Test
  void badNbdUrlsAreRefusedWithOneLineReasons() throws Exception {
    assertError(addRaw("nbd:unix:relative.sock", false), 400, "absolute socket path");
    assertError(addRaw("nbd+unix:///disk", false), 400, "?socket=PATH");
    assertError(addRaw("nbds://localhost/disk", false), 400, "TLS is not supported");
    assertError(
        addRaw("nbd:unix:" + sockets + "/nodir/none.sock", false),
        400,
        "NBD socket in a directory that does not exist");
    assertError(addRaw("nbd:unix:" + sockets + "/../x.sock", false), 403, "'..'");
    Path plain = Files.writeString(sockets.resolve("plain"), "not a socket");
    assertError(addRaw("nbd:unix:" + plain, false), 400, "is not a unix socket");

    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    try (NbdPeer kit = NbdPeer.nbdkit(outside.resolve("o.sock"), "memory", "size=1M")) {
      assertError(
          addRaw(kit.url(), false), 403, "outside the configured roots and NBD socket directories");
      Path link = Files.createSymbolicLink(sockets.resolve("link.sock"), kit.socket());
      assertError(addRaw("nbd:unix:" + link, false), 403, "resolves to " + kit.socket());
    }

    // A socket nobody listens on any more: the connection is refused when the ticket is added.
    Path dead = sockets.resolve("dead.sock");
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(dead));
    }
    assertError(addRaw("nbd:unix:" + dead, false), 400, "cannot open nbd+unix:///?socket=" + dead);

    assertError(
        addRaw("nbd://example.org/disk", false), 403, "example.org:10809 is not allow-listed");
    assertError(addRaw("nbd://127.0.0.1:2/disk", false), 403, "127.0.0.1:2 is not allow-listed");
    assertError(addRaw("nbd://127.0.0.1:1/disk", false), 400, "cannot open nbd://127.0.0.1:1/disk");
    assertError(addRaw("nbd:127.0.0.1:http", false), 400, "no valid port");

    try (NbdPeer ro = NbdPeer.nbdkit(sockets.resolve("ro.sock"), "-r", "memory", "size=1M")) {
      assertError(addRaw(ro.url(), true), 400, "is open read-only");
      String id = TicketId.random();
      HttpResponse<String> readOnly =
          daemon.control(
              "PUT",
              id,
              "{\"uuid\":\""
                  + id
                  + "\",\"url\":\""
                  + ro.url()
                  + ":exportname=\",\"size\":4096,\"ops\":[\"read\"]}");
      assertThat(readOnly.statusCode()).as(readOnly.body()).isEqualTo(200);
      assertThat(daemon.control("DELETE", id, null).statusCode()).isEqualTo(204);
    }
    try (NbdPeer tiny = NbdPeer.nbdkit(sockets.resolve("tiny.sock"), "memory", "size=1024")) {
      assertError(addRaw(tiny.url(), false), 400, "holds 1024 bytes, less than the ticket size");
    }
  }

  @Test
  void anNbdServerDyingMidTransferIsACleanErrorNotAHang() throws Exception {
    NbdPeer kit = NbdPeer.nbdkit(sockets.resolve("dies.sock"), "pattern", "size=256M");
    String id;
    try (kit) {
      id = daemon.addTicket(kit.url(), 256L * MIB, false);
      HttpResponse<InputStream> r =
          daemon
              .http()
              .send(
                  HttpRequest.newBuilder(daemon.imageUri(id)).GET().build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      try (InputStream body = r.body()) {
        assertThat(body.readNBytes(MIB)).hasSize(MIB);
        kit.kill();
        // The response was promised 256 MiB; it must end early, with an error, not stall.
        assertThatThrownBy(() -> body.transferTo(java.io.OutputStream.nullOutputStream()))
            .isInstanceOf(IOException.class);
      }
    }
    assertError(daemon.data("GET", "images/" + id + "/extents", null), 500, "nbd+unix:///?socket=");
    String job =
        ChecksumJobTest.start(
            daemon, "images/" + id + "/checksum-jobs", "{\"checksum_algorithm\":\"sha256\"}");
    JsonNode s = ChecksumJobTest.await(daemon, "images/" + id + "/checksum-jobs/" + job);
    assertThat(s.get("execution_status").asText()).isEqualTo("failed");
    assertThat(daemon.control("DELETE", id, null).statusCode()).isEqualTo(204);
  }
}
