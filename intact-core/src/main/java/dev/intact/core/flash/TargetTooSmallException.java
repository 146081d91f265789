package dev.intact.core.flash;

import java.io.IOException;

/** The destination cannot hold the image. */
public final class TargetTooSmallException extends IOException {
  public TargetTooSmallException(String target, long targetSize, long imageSize) {
    super(
        target
            + ": is "
            + targetSize
            + " bytes, smaller than the image ("
            + imageSize
            + " bytes); nothing was written");
  }
}
