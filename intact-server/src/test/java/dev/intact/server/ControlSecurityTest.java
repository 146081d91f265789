package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.server.control.ControlSocketInUseException;
import dev.intact.server.control.ControlToken;
import dev.intact.server.control.InsecureTokenFileException;
import dev.intact.server.image.StorageFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // daemons started only to hold a socket are not referenced
class ControlSecurityTest {
  @TempDir Path dir;

  @Test
  void tcpControlWithoutTheTokenIsUnauthorized() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      HttpResponse<String> none = d.control("GET", "abc", null, null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      Path f = d.image("a.raw", 4096);
      String id = dev.intact.server.ticket.TicketId.random();
      String put =
          "{\"uuid\":\""
              + id
              + "\",\"url\":\""
              + f.toUri()
              + "\",\"size\":4096,\"ops\":[\"read\"]}";
      assertThat(d.control("PUT", id, put, null).statusCode()).isEqualTo(401);
      assertThat(d.control("PUT", id, put, d.controlToken() + "0").statusCode()).isEqualTo(401);
      assertThat(d.control("PUT", id, put, "").statusCode()).isEqualTo(401);
      assertThat(d.server().ticketCount()).isZero();
      assertThat(d.control("PUT", id, put, d.controlToken()).statusCode()).isEqualTo(200);
      assertThat(d.server().ticketCount()).isEqualTo(1);
    }
  }

  @Test
  void tokenFileIsCreatedOwnerOnly() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path token = dir.resolve("state").resolve(ControlToken.FILE_NAME);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
          .isEqualTo("rw-------");
      assertThat(d.controlToken()).hasSize(64);
    }
  }

  @Test
  void aTokenFileOthersCanReadStopsTheStart() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Path token = state.resolve(ControlToken.FILE_NAME);
    Files.writeString(token, "0123456789abcdef0123456789abcdef0123456789abcdef\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> TestDaemon.start(dir).close())
        .isInstanceOf(InsecureTokenFileException.class)
        .hasMessageContaining(token.toString())
        .hasMessageContaining("rw-r--r--");
  }

  @Test
  void controlSocketIsOwnerOnly() throws Exception {
    Path socket = dir.resolve("control.sock");
    try (TestDaemon d =
        TestDaemon.start(dir, StorageFactory.STORAGE, c -> c.withControlSocket(socket))) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
          .isEqualTo("rw-------");
      // No staging directory is left beside it.
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.startsWith(".control.sock"));
      }
    }
  }

  @Test
  void aSecondDaemonDoesNotStealALiveControlSocket() throws Exception {
    Path socket = dir.resolve("control.sock");
    Path other = Files.createDirectories(dir.resolve("other"));
    try (TestDaemon first =
        TestDaemon.start(dir, StorageFactory.STORAGE, c -> c.withControlSocket(socket))) {
      assertThatThrownBy(
              () ->
                  TestDaemon.start(other, StorageFactory.STORAGE, c -> c.withControlSocket(socket))
                      .close())
          .isInstanceOf(ControlSocketInUseException.class)
          .hasMessage(
              "control socket "
                  + socket
                  + " is in use by a running daemon; stop it or choose another");
      // The first daemon still owns and answers its socket.
      assertThat(
              ConnectionsTest.exchange(
                  socket, "GET /tickets/x HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 403");
    }
  }

  @Test
  void aStaleControlSocketIsReplaced() throws Exception {
    Path socket = dir.resolve("control.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists(); // closing a unix listener leaves its file behind
    try (TestDaemon d =
        TestDaemon.start(dir, StorageFactory.STORAGE, c -> c.withControlSocket(socket))) {
      assertThat(
              ConnectionsTest.exchange(
                  socket, "GET /tickets/x HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 403");
    }
  }

  @Test
  void aControlSocketPathThatIsNotASocketIsLeftAlone() throws Exception {
    Path socket = Files.writeString(dir.resolve("control.sock"), "precious");
    assertThatThrownBy(
            () ->
                TestDaemon.start(dir, StorageFactory.STORAGE, c -> c.withControlSocket(socket))
                    .close())
        .hasMessageContaining(socket.toString())
        .hasMessageContaining("not a unix socket");
    assertThat(Files.readString(socket)).isEqualTo("precious");
  }
}
