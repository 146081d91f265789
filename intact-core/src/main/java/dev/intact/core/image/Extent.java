package dev.intact.core.image;

/**
 * A run of an image: {@code zero} means it is known to read as zeros without being read (a hole or
 * an unallocated/zero extent); otherwise it is data, which may still happen to be zero.
 */
public record Extent(long start, long length, boolean zero) {

  public Extent {
    if (start < 0 || length <= 0) {
      throw new IllegalArgumentException("invalid extent at " + start + " of length " + length);
    }
  }

  public long end() {
    return start + length;
  }
}
