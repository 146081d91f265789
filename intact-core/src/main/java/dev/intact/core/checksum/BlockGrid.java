package dev.intact.core.checksum;

import dev.intact.core.image.ByteRange;

/**
 * The blocks of a block-hash list over {@code range}: block {@code i} starts {@code i * blockSize}
 * bytes into the range; the last may be short. Block indices are ints, so a list's digests can be
 * addressed in one array.
 */
public record BlockGrid(ByteRange range, int blockSize) {

  public BlockGrid {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, not " + blockSize);
    }
    if (count(range.length(), blockSize) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          range.length() + " bytes in blocks of " + blockSize + " are too many blocks");
    }
  }

  /** How many blocks of {@code blockSize} cover {@code length} bytes. */
  public static long count(long length, int blockSize) {
    return (length + blockSize - 1) / blockSize;
  }

  public int blocks() {
    return (int) count(range.length(), blockSize);
  }

  /** The bytes of block {@code i}. */
  public ByteRange block(int i) {
    return span(i, i + 1);
  }

  /** The bytes of blocks {@code [from, to)}. */
  public ByteRange span(int from, int to) {
    if (from < 0 || to < from || to > blocks()) {
      throw new IndexOutOfBoundsException(
          "blocks [" + from + ", " + to + ") of " + blocks() + " in " + range);
    }
    long start = range.start() + (long) from * blockSize;
    return new ByteRange(start, Math.min(range.end(), range.start() + (long) to * blockSize));
  }

  /** The index of the block holding byte {@code position} (the range's end maps to blocks()). */
  public int blockOf(long position) {
    if (position < range.start() || position > range.end()) {
      throw new IndexOutOfBoundsException(position + " is outside " + range);
    }
    return (int) ((position - range.start()) / blockSize);
  }
}
