package dev.intact.core.image;

/** A byte range that reaches past the end of the image it names. */
public final class RangeOutOfBoundsException extends IllegalArgumentException {
  private final ByteRange range;
  private final long size;
  private final String imageName;

  public RangeOutOfBoundsException(ByteRange range, long size, String imageName) {
    super("range " + range + " is outside " + imageName + " (size " + size + " bytes)");
    this.range = range;
    this.size = size;
    this.imageName = imageName;
  }

  public ByteRange range() {
    return range;
  }

  public long size() {
    return size;
  }

  public String imageName() {
    return imageName;
  }
}
