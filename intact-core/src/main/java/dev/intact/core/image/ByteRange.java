package dev.intact.core.image;

/**
 * A half-open byte range {@code [start, end)} of an image. Coriolis's {@code end_offset = 0} ("to
 * the end") is resolved by the caller before a range is made.
 */
public record ByteRange(long start, long end) {

  public ByteRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("invalid range [" + start + ", " + end + ")");
    }
  }

  public static ByteRange whole(long size) {
    return new ByteRange(0, size);
  }

  public long length() {
    return end - start;
  }

  /**
   * Checks that the range lies within an image of {@code size} bytes.
   *
   * @throws RangeOutOfBoundsException if it does not (a range past the end is an error, never a
   *     short read)
   */
  public ByteRange checkWithin(long size, String imageName) {
    if (end > size) {
      throw new RangeOutOfBoundsException(this, size, imageName);
    }
    return this;
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
