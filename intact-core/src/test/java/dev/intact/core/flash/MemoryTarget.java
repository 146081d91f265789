package dev.intact.core.flash;

import dev.intact.core.image.Extent;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.Arrays;

/**
 * A destination in memory: a "device" of fixed capacity, or a "file" that grows and whose new bytes
 * read as zeros. Starts with the content given, so that a write that never happened shows.
 * Thread-safe, as a file is: a flash writes and reads back from several threads at once.
 */
class MemoryTarget implements WritableImage {
  private final boolean device;
  private byte[] content;
  private long size;
  int syncs;

  MemoryTarget(boolean device, byte[] initial) {
    this.device = device;
    this.content = initial.clone();
    this.size = initial.length;
  }

  static MemoryTarget device(byte[] initial) {
    return new MemoryTarget(true, initial);
  }

  static MemoryTarget file() {
    return new MemoryTarget(false, new byte[0]);
  }

  synchronized byte[] content() {
    return Arrays.copyOf(content, (int) size);
  }

  @Override
  public String name() {
    return device ? "memory-device" : "memory-file";
  }

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public boolean resizable() {
    return !device;
  }

  @Override
  public synchronized void resize(long newSize) {
    if (device) {
      throw new UnsupportedOperationException(name() + ": has the fixed size of its storage");
    }
    byte[] c = Arrays.copyOf(content, (int) Math.max(newSize, 0));
    if (newSize > size) {
      Arrays.fill(c, (int) size, (int) newSize, (byte) 0);
    }
    content = c;
    size = newSize;
  }

  @Override
  public synchronized void write(long position, byte[] src, int offset, int length)
      throws IOException {
    if (position + length > size) {
      if (device) {
        throw new IOException(name() + ": write past the end of the device at " + position);
      }
      resize(position + length);
    }
    System.arraycopy(src, offset, content, (int) position, length);
  }

  @Override
  public void zero(long position, long length) throws IOException {
    write(position, new byte[(int) length], 0, (int) length);
  }

  @Override
  public synchronized void flush() {
    syncs++;
  }

  @Override
  public synchronized void readFully(long position, byte[] dst, int offset, int length)
      throws IOException {
    if (position + length > size) {
      throw new IOException(name() + ": read past the end at " + position);
    }
    System.arraycopy(content, (int) position, dst, offset, length);
  }

  /** Memory has no cache in front of it: a direct read is a read. */
  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    readFully(position, dst, offset, length);
  }

  @Override
  public Extent extentAt(long position, long end) {
    return new Extent(position, end - position, false);
  }

  @Override
  public void close() {}
}
