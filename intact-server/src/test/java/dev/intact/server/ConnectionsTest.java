package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets misbehaving: clients that vanish or stall mid-body, old TLS, the unix socket. */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class ConnectionsTest {
  @TempDir Path dir;

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      LockSupport.parkNanos(10_000_000);
    }
  }

  static SSLSocket connect(TestDaemon d, String... protocols) throws Exception {
    SSLSocket s =
        (SSLSocket)
            TestDaemon.trusting(d.server().certificate())
                .getSocketFactory()
                .createSocket("127.0.0.1", d.server().dataPort());
    if (protocols.length > 0) {
      s.setEnabledProtocols(protocols);
    }
    s.startHandshake();
    return s;
  }

  static int connections(TestDaemon d, String id) throws Exception {
    String body = d.control("GET", id, null).body();
    return Integer.parseInt(body.replaceAll(".*\"connections\":(\\d+).*", "$1"));
  }

  @Test
  void vanishedClientWritesNothingOutsideItsRangeAndReleasesTheTicket() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      byte[] content = new byte[200_000];
      new Random(1).nextBytes(content);
      Path f = Files.write(d.root().resolve("a.raw"), content);
      String id = d.addTicket(f, content.length, true);
      byte[] body = new byte[10_000];
      try (SSLSocket s = connect(d)) {
        OutputStream out = s.getOutputStream();
        out.write(
            ("PUT /images/"
                    + id
                    + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                    + "Content-Range: bytes 50000-149999/*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
      await(
          "the request to end",
          () -> {
            try {
              return connections(d, id) == 0;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
      byte[] now = Files.readAllBytes(f);
      assertThat(Arrays.copyOfRange(now, 0, 50_000))
          .isEqualTo(Arrays.copyOfRange(content, 0, 50_000));
      assertThat(Arrays.copyOfRange(now, 150_000, 200_000))
          .isEqualTo(Arrays.copyOfRange(content, 150_000, 200_000));
      // The daemon still serves.
      assertThat(d.data("GET", "images/" + id, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void stalledClientIsTimedOut() throws Exception {
    try (TestDaemon d =
        TestDaemon.start(
            dir,
            dev.intact.server.image.StorageFactory.STORAGE,
            c -> c.withIdleTimeout(Duration.ofMillis(500)))) {
      Path f = d.image("a.raw", 100_000);
      String id = d.addTicket(f, 100_000, true);
      try (SSLSocket s = connect(d)) {
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(
            ("PUT /images/" + id + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[1000]);
        out.flush();
        // The daemon gives up on the body and closes the connection; the test only waits for that.
        InputStream in = s.getInputStream();
        byte[] sink = new byte[4096];
        try {
          while (in.read(sink) >= 0) {
            // drain whatever error response precedes the close
          }
        } catch (java.io.IOException closed) {
          // a reset is as good as a close
        }
      }
      await(
          "the ticket to be idle",
          () -> {
            try {
              return connections(d, id) == 0;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
    }
  }

  @Test
  void onlyTls12AndNewerAreAccepted() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      assertThatThrownBy(() -> connect(d, "TLSv1.1").close())
          .isInstanceOf(SSLHandshakeException.class);
      try (SSLSocket s = connect(d, "TLSv1.2")) {
        assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
      }
      try (SSLSocket s = connect(d, "TLSv1.3")) {
        assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(Files.readString(d.server().certificate()))
          .startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(Files.readString(dir.resolve("state/server-key.pem")))
          .startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(Files.getPosixFilePermissions(dir.resolve("state/server-key.pem")).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }
  }

  @Test
  void tls12OffersAeadSuitesOnlyAndRefusesCbc() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      try (SSLSocket s = connect(d, "TLSv1.2")) {
        assertThat(s.getSession().getCipherSuite())
            .matches("TLS_ECDHE_.*_(GCM_SHA\\d+|POLY1305_SHA256)");
      }
      SSLSocket cbc =
          (SSLSocket)
              TestDaemon.trusting(d.server().certificate())
                  .getSocketFactory()
                  .createSocket("127.0.0.1", d.server().dataPort());
      try (cbc) {
        cbc.setEnabledProtocols(new String[] {"TLSv1.2"});
        cbc.setEnabledCipherSuites(
            java.util.Arrays.stream(cbc.getSupportedCipherSuites())
                .filter(c -> c.contains("_CBC_"))
                .toArray(String[]::new));
        assertThat(cbc.getEnabledCipherSuites()).isNotEmpty();
        assertThatThrownBy(cbc::startHandshake).isInstanceOf(SSLHandshakeException.class);
      }
    }
  }

  @Test
  void controlServiceOnAUnixSocket() throws Exception {
    Path socket = dir.resolve("control.sock");
    try (TestDaemon d =
        TestDaemon.start(
            dir,
            dev.intact.server.image.StorageFactory.STORAGE,
            c -> c.withControlSocket(socket))) {
      assertThat(d.server().controlUri()).isEmpty();
      Path f = d.image("a.raw", 4096);
      String id = dev.intact.server.ticket.TicketId.random();
      String json =
          "{\"uuid\":\""
              + id
              + "\",\"url\":\""
              + f.toUri()
              + "\",\"size\":4096,\"ops\":[\"read\"]}";
      String put =
          "PUT /tickets/"
              + id
              + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
              + "Content-Type: application/json\r\nContent-Length: "
              + json.length()
              + "\r\n\r\n"
              + json;
      assertThat(exchange(socket, put)).startsWith("HTTP/1.1 200");
      assertThat(d.server().ticketCount()).isEqualTo(1);
      assertThat(d.data("GET", "images/" + id, null).statusCode()).isEqualTo(200);
    }
    assertThat(socket).doesNotExist();
  }

  static String exchange(Path socket, String request) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(65536);
      while (ch.read(buf) >= 0) {
        if (!buf.hasRemaining()) {
          break;
        }
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }
  }
}
