package dev.intact.core.flash;

import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A raw image file read with pread straight into the caller's array (no intermediate native buffer,
 * unlike FileInputStream), skipping by moving the position.
 */
final class FileSourceInputStream extends InputStream {
  private final LocalImage file;
  private final long size;
  private long position;

  FileSourceInputStream(Path path) throws IOException {
    this.file = LocalImage.openRead(path);
    this.size = file.size();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(len, size - position);
    file.readFully(position, b, off, n);
    position += n;
    return n;
  }

  /**
   * Reads up to {@code dst.byteSize()} bytes with pread straight into native memory; -1 at the end.
   */
  int read(MemorySegment dst) throws IOException {
    if (dst.byteSize() == 0) {
      return 0;
    }
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.byteSize(), size - position);
    file.readFully(position, dst.asSlice(0, n));
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long s = Math.max(0, Math.min(n, size - position));
    position += s;
    return s;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
