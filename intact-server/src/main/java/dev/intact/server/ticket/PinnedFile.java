package dev.intact.server.ticket;

import dev.intact.core.posix.BeneathOpen;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.NativeIoException;
import dev.intact.server.http.HttpError;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A ticket's file or device, opened once when the ticket is added and held for the ticket's life.
 * The path is resolved beneath its root with no symbolic link followed ({@link BeneathOpen}), as an
 * {@code O_PATH} descriptor (which never blocks, whatever the file is: a fifo swapped in would
 * block a plain open forever, pinning a carrier thread), and its type is checked on the descriptor.
 * Every later open, the image's and the O_DIRECT one checksums read through, reopens this inode by
 * {@link #reopenPath}: a path renamed, replaced or turned into a symbolic link afterwards leads
 * nowhere else.
 */
public final class PinnedFile implements AutoCloseable {
  private final NativeFile descriptor;

  private PinnedFile(NativeFile descriptor) {
    this.descriptor = descriptor;
  }

  /**
   * Opens {@code real} beneath {@code root}.
   *
   * @param blockDevice whether it must be a block device (else a regular file)
   * @throws HttpError 403 if a link or a way out of {@code root} is met, 400 if the file is gone or
   *     of the wrong type
   */
  static PinnedFile pin(Path root, Path real, String url, boolean blockDevice) {
    NativeFile file;
    try (NativeFile dir = BeneathOpen.directory(root)) {
      file = BeneathOpen.open(dir, root.relativize(real).toString(), BeneathOpen.O_PATH);
    } catch (NativeIoException e) {
      if (e.errno() == 40 /* ELOOP */ || e.errno() == 18 /* EXDEV */) {
        throw HttpError.forbidden(
            "ticket url " + url + " changed into a symbolic link while it was being added");
      }
      throw HttpError.badRequest("ticket url cannot be opened: " + url + ": " + e.getMessage());
    }
    try {
      NativeFile.Stat stat = file.stat();
      boolean ok = blockDevice ? stat.isBlockDevice() : stat.isRegularFile();
      if (!ok) {
        throw HttpError.badRequest(
            "ticket url is not a " + (blockDevice ? "block device" : "regular file") + ": " + url);
      }
      return new PinnedFile(file);
    } catch (NativeIoException | RuntimeException e) {
      try {
        file.close();
      } catch (NativeIoException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof NativeIoException n
          ? HttpError.badRequest("ticket url cannot be checked: " + url + ": " + n.getMessage())
          : (RuntimeException) e;
    }
  }

  /** {@code /proc/self/fd/N}: opens the pinned inode, valid until {@link #close}. */
  public Path reopenPath() {
    return BeneathOpen.reopenPath(descriptor);
  }

  @Override
  public void close() throws IOException {
    descriptor.close();
  }
}
