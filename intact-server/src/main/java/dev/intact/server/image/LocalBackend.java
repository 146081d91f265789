package dev.intact.server.image;

import dev.intact.core.io.Extent;
import dev.intact.core.io.Image;
import dev.intact.core.io.LocalImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A regular file or block device through the core's native I/O: holes punched and found with
 * fallocate and SEEK_DATA/SEEK_HOLE, BLKZEROOUT on devices, and O_DIRECT reads for verification.
 */
public final class LocalBackend implements ImageBackend {
  private final LocalImage image;
  private final boolean writable;

  private LocalBackend(LocalImage image, boolean writable) {
    this.image = image;
    this.writable = writable;
  }

  public static LocalBackend open(Path path, boolean writable) throws IOException {
    return new LocalBackend(
        writable ? LocalImage.openWrite(path) : LocalImage.openRead(path), writable);
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
    return new Image() {
      @Override
      public String name() {
        return image.name();
      }

      @Override
      public long size() throws IOException {
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
