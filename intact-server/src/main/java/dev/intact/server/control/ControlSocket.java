package dev.intact.server.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts the control service's unix socket in place safely. A socket's mode follows the umask when it
 * is bound (0777 under umask 000), and whoever can connect can add tickets: the socket is bound in
 * a private (0700) directory beside its final path, set to 0600, and only then renamed into place,
 * so it is never reachable with a wider mode. A socket file that a live daemon answers on is never
 * replaced; one nobody listens on (left by a daemon that died) is.
 */
public final class ControlSocket {
  private ControlSocket() {}

  /**
   * Refuses to go on if {@code socket} exists and is not a stale socket.
   *
   * @throws ControlSocketInUseException if a process accepts connections on it
   * @throws IOException if it exists and is not a unix socket
   */
  public static void checkReplaceable(Path socket) throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .isOther()) {
      throw new IOException("control socket path " + socket + " exists and is not a unix socket");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException refused) {
      return; // nobody listens: a stale socket file, which may be replaced
    }
    throw new ControlSocketInUseException(socket);
  }

  /**
   * A fresh private directory beside {@code socket} to bind it in before it is moved into place.
   */
  public static Path stagingDirectory(Path socket) throws IOException {
    Path parent = socket.toAbsolutePath().getParent();
    return Files.createTempDirectory(
        parent,
        "." + socket.getFileName() + ".",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Makes the bound {@code staged} socket owner-only and moves it to {@code socket}. */
  public static void publish(Path staged, Path socket) throws IOException {
    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
    checkReplaceable(socket);
    Files.move(staged, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(staged.getParent());
  }
}
