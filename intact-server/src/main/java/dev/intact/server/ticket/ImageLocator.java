package dev.intact.server.ticket;

import dev.intact.server.http.HttpError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Confines the images a ticket may name: regular files under the configured roots (after resolving
 * every symlink) and allow-listed block devices. A ticket URL is checked once, when the ticket is
 * added; the resolved real path is what the data service opens.
 */
public final class ImageLocator {
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;

  /** Where a ticket's image lives. */
  public record Location(Path path, boolean blockDevice) {}

  private final List<Path> roots;
  private final List<Path> devices;

  /**
   * @throws UncheckedIOException if a configured root does not exist (a daemon must not start with
   *     a root it cannot confine to)
   */
  public ImageLocator(List<Path> roots, List<Path> devices) {
    this.roots = new ArrayList<>();
    for (Path root : roots) {
      try {
        this.roots.add(root.toRealPath());
      } catch (IOException e) {
        throw new UncheckedIOException("image root " + root + " is not usable", e);
      }
    }
    this.devices = new ArrayList<>();
    for (Path dev : devices) {
      try {
        this.devices.add(dev.toRealPath());
      } catch (IOException e) {
        throw new UncheckedIOException("allow-listed device " + dev + " is not usable", e);
      }
    }
  }

  /**
   * Resolves a ticket's {@code url}: {@code file:///abs/path}, or an absolute device path.
   *
   * @throws HttpError 400 for a malformed URL, 403 for anything outside the roots or allow-list
   */
  public Location locate(String url) {
    Path path = pathOf(url);
    for (Path part : path) {
      if (part.toString().equals("..")) {
        throw HttpError.forbidden("ticket url must not contain '..': " + url);
      }
    }
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
      return new Location(real, true);
    }
    if (!Files.isRegularFile(real)) {
      throw HttpError.badRequest("ticket url is not a regular file or block device: " + url);
    }
    for (Path root : roots) {
      if (real.startsWith(root) && !real.equals(root)) {
        return new Location(real, false);
      }
    }
    throw HttpError.forbidden(
        "ticket url " + url + " resolves to " + real + ", outside the configured roots");
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
          "ticket url scheme '" + uri.getScheme() + "' is not supported (use file:///path)");
    }
    if (uri.getAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
      throw HttpError.badRequest("ticket url must be file:///absolute/path: " + url);
    }
    return Path.of(uri.getPath());
  }
}
