package dev.intact.server;

import static dev.intact.server.TicketApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.image.StorageFactory;
import dev.intact.server.ticket.TicketId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ticket naming an NBD server over TCP (nbd://host:port/): an allow-listed nbdkit on loopback.
 */
@SuppressWarnings("try") // TestDaemon and NbdPeer close() wait, so they may be interrupted
class NbdTcpTicketTest {
  private static final int SIZE = 4 << 20;

  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void writesReadsAndChecksumsAnAllowListedTcpExport() throws Exception {
    int port = freePort();
    byte[] data = new byte[SIZE];
    new Random(11).nextBytes(data);
    try (NbdPeer nbdkit = NbdPeer.nbdkitTcp(port, "memory", "size=" + SIZE);
        TestDaemon d =
            TestDaemon.start(
                dir, StorageFactory.STORAGE, c -> c.withNbdHosts(List.of("127.0.0.1")))) {
      String id = d.addTicket("nbd://127.0.0.1:" + port + "/", SIZE, true);
      HttpRequest.Builder image = HttpRequest.newBuilder(d.imageUri(id));
      assertThat(
              d.http()
                  .send(
                      image.copy().PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      HttpResponse<byte[]> back =
          d.http().send(image.copy().GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(back.statusCode()).isEqualTo(200);
      assertThat(back.body()).isEqualTo(data);

      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      String job =
          ChecksumJobTest.start(
              d, "images/" + id + "/checksum-jobs", "{\"checksum_algorithm\":\"sha256\"}");
      var status = ChecksumJobTest.await(d, "images/" + id + "/checksum-jobs/" + job);
      assertThat(status.get("checksum_value").asText()).as(status.toString()).isEqualTo(sha);

      // The same server under a name that is not allow-listed is refused when the ticket is added.
      String other = TicketId.random();
      assertError(
          d.control(
              "PUT",
              other,
              "{\"uuid\":\""
                  + other
                  + "\",\"url\":\"nbd://localhost:"
                  + port
                  + "/\",\"size\":4096,\"ops\":[\"read\"]}"),
          403,
          "localhost");
    }
  }
}
