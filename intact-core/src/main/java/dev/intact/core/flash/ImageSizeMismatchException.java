package dev.intact.core.flash;

import java.io.IOException;

/** The image is not the size its bmap says: most likely the bmap of another image. */
public final class ImageSizeMismatchException extends IOException {
  private final long actual;
  private final long expected;

  public ImageSizeMismatchException(String source, long actual, long expected, String bmap) {
    super(
        source
            + ": is "
            + actual
            + " bytes but "
            + bmap
            + " says ImageSize "
            + expected
            + " (is the bmap for another image?)");
    this.actual = actual;
    this.expected = expected;
  }

  public long actual() {
    return actual;
  }

  public long expected() {
    return expected;
  }
}
