package dev.intact.server.image;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.ReadOnlyImageException;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A ticket's storage through the core library: a regular file or block device ({@link LocalImage}:
 * holes punched and found with fallocate and SEEK_DATA/SEEK_HOLE, BLKZEROOUT on devices, O_DIRECT
 * reads for verification), or an NBD export ({@link NbdImage}: one connection per ticket with the
 * ticket's requests all in flight on it, WRITE_ZEROES that may punch holes, block status for
 * extents).
 *
 * <p>NBD has no O_DIRECT: a checksum job flushes (NBD_CMD_FLUSH, which makes the server write its
 * cache to its storage) and then reads through the export, trusting the server's cache to be
 * coherent with what it stored — the same guarantee ovirt-imageio's NBD backend gives.
 */
public final class StorageBackend implements ImageBackend {
  private final WritableImage image;
  private final boolean writable;

  private StorageBackend(WritableImage image, boolean writable) {
    this.image = image;
    this.writable = writable;
  }

  /** A regular file or block device. */
  public static StorageBackend local(Path path, boolean writable) throws IOException {
    return new StorageBackend(
        writable ? LocalImage.openWrite(path) : LocalImage.openRead(path), writable);
  }

  /**
   * Connects to an NBD export.
   *
   * @throws ReadOnlyImageException if {@code writable} but the server exports it read-only
   */
  public static StorageBackend nbd(NbdUri uri, boolean writable) throws IOException {
    NbdImage image = NbdImage.open(uri);
    if (writable && image.client().info().readOnly()) {
      image.close();
      throw new ReadOnlyImageException(uri.toString());
    }
    return new StorageBackend(image, writable);
  }

  @Override
  public String name() {
    return image.name();
  }

  @Override
  public long size() throws IOException {
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

  @Override
  public void zeroAllocated(long position, long length) throws IOException {
    image.zeroAllocated(position, length);
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

  @Override
  public Image storage() {
    return image.directView();
  }

  @Override
  public void close() throws IOException {
    image.close();
  }
}
