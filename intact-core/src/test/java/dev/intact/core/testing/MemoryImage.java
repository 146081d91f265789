package dev.intact.core.testing;

import dev.intact.core.image.Extent;
import dev.intact.core.image.WritableImage;
import java.io.EOFException;
import java.util.Arrays;

/**
 * A small in-memory image for server tests: its allocation map calls every all-zero 4 KiB block a
 * zero extent, like a sparse file's holes.
 */
public final class MemoryImage implements WritableImage {
  public static final int BLOCK = 4096;
  private final byte[] data;
  private final String name;
  public int flushes;

  public MemoryImage(String name, int size) {
    this.name = name;
    this.data = new byte[size];
  }

  public MemoryImage(String name, byte[] content) {
    this.name = name;
    this.data = content.clone();
  }

  public byte[] content() {
    synchronized (data) {
      return data.clone();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return data.length;
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws EOFException {
    if (position + length > data.length) {
      throw new EOFException(name + ": read past the end at " + position);
    }
    synchronized (data) {
      System.arraycopy(data, (int) position, dst, offset, length);
    }
  }

  @Override
  public Extent extentAt(long position, long end) {
    boolean zero = blockIsZero(position);
    long p = position;
    while (p < end && blockIsZero(p) == zero) {
      p = (p / BLOCK + 1) * BLOCK;
    }
    return new Extent(position, Math.min(p, end) - position, zero);
  }

  private boolean blockIsZero(long position) {
    int start = (int) (position / BLOCK * BLOCK);
    int stop = Math.min(start + BLOCK, data.length);
    synchronized (data) {
      for (int i = start; i < stop; i++) {
        if (data[i] != 0) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) {
    synchronized (data) {
      System.arraycopy(src, offset, data, (int) position, length);
    }
  }

  @Override
  public void zero(long position, long length) {
    synchronized (data) {
      Arrays.fill(data, (int) position, (int) (position + length), (byte) 0);
    }
  }

  @Override
  public void flush() {
    flushes++;
  }

  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws EOFException {
    readFully(position, dst, offset, length);
  }

  @Override
  public void close() {}
}
