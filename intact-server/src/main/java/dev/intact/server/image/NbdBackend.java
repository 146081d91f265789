package dev.intact.server.image;

import dev.intact.core.io.Extent;
import dev.intact.core.io.Image;
import dev.intact.core.io.ReadOnlyImageException;
import dev.intact.core.nbd.NbdImage;
import dev.intact.core.nbd.NbdUri;
import java.io.IOException;

/**
 * An NBD export (qemu-nbd, nbdkit, Intact's own server) through the core's NBD client: one
 * connection per ticket, on which the ticket's concurrent requests are all in flight at once.
 * Zeroing is NBD_CMD_WRITE_ZEROES that lets the server punch holes; extents come from {@code
 * base:allocation} block status.
 *
 * <p>NBD has no O_DIRECT: a checksum job flushes (NBD_CMD_FLUSH, which makes the server write its
 * cache to its storage) and then reads through the export, trusting the server's cache to be
 * coherent with what it stored — the same guarantee ovirt-imageio's NBD backend gives.
 */
public final class NbdBackend implements ImageBackend {
  private final NbdImage image;
  private final boolean writable;

  private NbdBackend(NbdImage image, boolean writable) {
    this.image = image;
    this.writable = writable;
  }

  /**
   * Connects to the export.
   *
   * @throws ReadOnlyImageException if {@code writable} but the server exports it read-only
   */
  public static NbdBackend open(NbdUri uri, boolean writable) throws IOException {
    NbdImage image = NbdImage.open(uri);
    if (writable && image.client().info().readOnly()) {
      image.close();
      throw new ReadOnlyImageException(uri.toString());
    }
    return new NbdBackend(image, writable);
  }

  @Override
  public String name() {
    return image.name();
  }

  @Override
  public long size() {
    return image.size();
  }

  @Override
  public void read(long position, byte[] dst, int offset, int length) throws IOException {
    image.readFully(position, dst, offset, length);
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    image.write(position, src, offset, length);
  }

  @Override
  public void zero(long position, long length) throws IOException {
    image.zero(position, length);
  }

  /** A read-only ticket has written nothing: there is nothing to make durable. */
  @Override
  public void flush() throws IOException {
    if (writable) {
      image.flush();
    }
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    return image.extentAt(position, end);
  }

  /** Reads through the export after the caller's flush: NBD cannot bypass the server's cache. */
  @Override
  public Image storage() {
    return new Image() {
      @Override
      public String name() {
        return image.name();
      }

      @Override
      public long size() {
        return image.size();
      }

      @Override
      public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        image.readDirect(position, dst, offset, length);
      }

      @Override
      public Extent extentAt(long position, long end) throws IOException {
        return image.extentAt(position, end);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() throws IOException {
    image.close();
  }
}
