package dev.intact.server.ticket;

import dev.intact.core.nbd.client.NbdUri;
import dev.intact.server.http.HttpError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Confines the images a ticket may name: regular files under the configured roots (after resolving
 * every symlink), allow-listed block devices, and NBD exports — on a unix socket under a root or an
 * allow-listed socket directory, or on an allow-listed TCP host. A ticket URL is checked once, when
 * the ticket is added, and a file or device is then opened once beneath its root without following
 * links ({@link PinnedFile}): the data service uses that descriptor, never the name again.
 */
public final class ImageLocator {
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFSOCK = 0140000;

  /** Where a ticket's image lives. */
  public sealed interface Location {
    /** What messages and logs call it: a path or an NBD URI. */
    String describe();

    /** Lets go of what the location holds open (a pinned file); idempotent. */
    default void release() throws IOException {}

    /**
     * A regular file under a root, {@code pinned} when the ticket was added: every later open goes
     * through the descriptor, never the name, so renaming or replacing the path changes nothing.
     */
    record File(Path path, PinnedFile pinned) implements Location {
      @Override
      public String describe() {
        return path.toString();
      }

      @Override
      public void release() throws IOException {
        pinned.close();
      }
    }

    /** An allow-listed block device, pinned like a file. */
    record Device(Path path, PinnedFile pinned) implements Location {
      @Override
      public String describe() {
        return path.toString();
      }

      @Override
      public void release() throws IOException {
        pinned.close();
      }
    }

    /**
     * An NBD export; a unix socket is named by its resolved real path. A socket that did not exist
     * yet when the ticket was added (imageio accepts such tickets: the NBD server is started for
     * the transfer) is named by its directory's real path and checked again when the ticket is used
     * ({@code atUse}): it must exist then, be a socket, and still resolve under a root or socket
     * directory.
     */
    record Nbd(NbdUri uri, Optional<Runnable> atUse) implements Location {
      Nbd(NbdUri uri) {
        this(uri, Optional.empty());
      }

      @Override
      public String describe() {
        return uri.toString();
      }

      /** Whether the socket did not exist when the ticket was added. */
      public boolean pending() {
        return atUse.isPresent();
      }

      /**
       * Checks a pending socket again before connecting.
       *
       * @throws HttpError 503 if it still does not exist, 400/403 as when adding a ticket
       */
      public void checkAtUse() {
        atUse.ifPresent(Runnable::run);
      }
    }
  }

  private final List<Path> roots;
  private final List<Path> devices;
  private final List<Path> nbdSocketDirs;
  private final List<String> nbdHosts;

  /**
   * @throws UncheckedIOException if a configured root does not exist (a daemon must not start with
   *     a root it cannot confine to)
   */
  public ImageLocator(List<Path> roots, List<Path> devices) {
    this(roots, devices, List.of(), List.of());
  }

  /**
   * @param nbdSocketDirs directories (besides the roots) whose unix sockets NBD tickets may name
   * @param nbdHosts {@code HOST} or {@code HOST:PORT} entries that {@code nbd://} tickets may name
   * @throws UncheckedIOException if a configured directory or device does not exist
   */
  public ImageLocator(
      List<Path> roots, List<Path> devices, List<Path> nbdSocketDirs, List<String> nbdHosts) {
    this.roots = realPaths(roots, "image root");
    this.devices = realPaths(devices, "allow-listed device");
    this.nbdSocketDirs = realPaths(nbdSocketDirs, "NBD socket directory");
    this.nbdHosts = nbdHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  private static List<Path> realPaths(List<Path> paths, String what) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      try {
        out.add(p.toRealPath());
      } catch (IOException e) {
        throw new UncheckedIOException(what + " " + p + " is not usable", e);
      }
    }
    return out;
  }

  /**
   * Resolves a ticket's {@code url}: {@code file:///abs/path}, an absolute device path, or an NBD
   * URL ({@code nbd:unix:/sock[:exportname=NAME]}, {@code nbd+unix:///NAME?socket=/sock}, {@code
   * nbd://host:port/NAME}).
   *
   * @throws HttpError 400 for a malformed URL, 403 for anything outside the roots or allow-lists
   */
  public Location locate(String url) {
    if (url.startsWith("nbd")) {
      return locateNbd(url);
    }
    Path path = pathOf(url);
    rejectDotDot(path, url);
    Path real;
    int mode;
    try {
      real = path.toRealPath();
      mode = (Integer) Files.getAttribute(real, "unix:mode");
    } catch (NoSuchFileException e) {
      throw HttpError.badRequest("ticket url names no existing file: " + url);
    } catch (IOException e) {
      throw HttpError.badRequest("ticket url cannot be resolved: " + url + ": " + e.getMessage());
    }
    if ((mode & S_IFMT) == S_IFBLK) {
      if (!devices.contains(real)) {
        throw HttpError.forbidden("block device " + real + " is not allow-listed");
      }
      return new Location.Device(real, PinnedFile.pin(real.getRoot(), real, url, true));
    }
    if (!Files.isRegularFile(real)) {
      throw HttpError.badRequest("ticket url is not a regular file or block device: " + url);
    }
    for (Path root : roots) {
      if (real.startsWith(root) && !real.equals(root)) {
        return new Location.File(real, PinnedFile.pin(root, real, url, false));
      }
    }
    throw HttpError.forbidden(
        "ticket url " + url + " resolves to " + real + ", outside the configured roots");
  }

  private Location locateNbd(String url) {
    NbdUri uri;
    try {
      uri = NbdUri.parse(url);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("ticket url: " + e.getMessage());
    }
    return switch (uri.address()) {
      case UnixDomainSocketAddress unix -> locateSocket(url, unix.getPath(), uri.exportName());
      case InetSocketAddress inet -> {
        String host = inet.getHostString().toLowerCase(Locale.ROOT);
        if (!nbdHosts.contains(host) && !nbdHosts.contains(host + ":" + inet.getPort())) {
          throw HttpError.forbidden(
              "NBD server "
                  + inet.getHostString()
                  + ":"
                  + inet.getPort()
                  + " is not allow-listed (--nbd-host)");
        }
        yield new Location.Nbd(uri);
      }
      default -> throw HttpError.badRequest("ticket url has an unusable NBD address: " + url);
    };
  }

  private Location locateSocket(String url, Path socket, String export) {
    if (!socket.isAbsolute()) {
      throw HttpError.badRequest("ticket url must name an absolute NBD socket path: " + url);
    }
    rejectDotDot(socket, url);
    Path real;
    int mode;
    try {
      real = socket.toRealPath();
      mode = (Integer) Files.getAttribute(real, "unix:mode");
    } catch (NoSuchFileException e) {
      return pendingSocket(url, socket, export);
    } catch (IOException e) {
      throw HttpError.badRequest("NBD socket " + socket + " cannot be resolved: " + e.getMessage());
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw HttpError.badRequest("ticket url's NBD socket " + socket + " is not a unix socket");
    }
    if (!under(real, roots) && !under(real, nbdSocketDirs)) {
      throw HttpError.forbidden(
          "NBD socket "
              + socket
              + " resolves to "
              + real
              + ", outside the configured roots and NBD socket directories");
    }
    return new Location.Nbd(NbdUri.unix(real, export));
  }

  /**
   * A socket that does not exist yet: its directory must exist and lie under a root or socket
   * directory now; the socket itself is checked as any other when the ticket is used.
   */
  private Location pendingSocket(String url, Path socket, String export) {
    Path parent = socket.getParent();
    Path name = socket.getFileName();
    Path realParent;
    try {
      realParent = parent.toRealPath();
    } catch (IOException e) {
      throw HttpError.badRequest(
          "ticket url names an NBD socket in a directory that does not exist: " + socket);
    }
    Path named = realParent.resolve(name);
    if (!under(named, roots) && !under(named, nbdSocketDirs)) {
      throw HttpError.forbidden(
          "NBD socket "
              + socket
              + " would be "
              + named
              + ", outside the configured roots and NBD socket directories");
    }
    Runnable atUse =
        () -> {
          if (!Files.exists(named, LinkOption.NOFOLLOW_LINKS)) {
            throw new HttpError(
                503,
                "the ticket's NBD socket "
                    + socket
                    + " does not exist yet: start the NBD server on it before using the ticket");
          }
          Location now = locateSocket(url, named, export);
          if (now instanceof Location.Nbd n && n.pending()) {
            throw new HttpError(503, "the ticket's NBD socket " + socket + " vanished");
          }
        };
    return new Location.Nbd(NbdUri.unix(named, export), Optional.of(atUse));
  }

  private static boolean under(Path real, List<Path> dirs) {
    for (Path dir : dirs) {
      if (real.startsWith(dir) && !real.equals(dir)) {
        return true;
      }
    }
    return false;
  }

  private static void rejectDotDot(Path path, String url) {
    for (Path part : path) {
      if (part.toString().equals("..")) {
        throw HttpError.forbidden("ticket url must not contain '..': " + url);
      }
    }
  }

  private static Path pathOf(String url) {
    if (url.startsWith("/")) {
      return Path.of(url);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw HttpError.badRequest("ticket url is not a URL: " + e.getMessage());
    }
    if (!"file".equals(uri.getScheme())) {
      throw HttpError.badRequest(
          "ticket url scheme '"
              + uri.getScheme()
              + "' is not supported (use file:///path or an nbd: URL)");
    }
    if (uri.getAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
      throw HttpError.badRequest("ticket url must be file:///absolute/path: " + url);
    }
    return Path.of(uri.getPath());
  }
}
