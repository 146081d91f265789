package dev.intact.core.image;

import java.io.IOException;

/** A write to an image that was opened for reading only. */
public final class ReadOnlyImageException extends IOException {
  private final String imageName;

  public ReadOnlyImageException(String imageName) {
    super(imageName + " is open read-only; it cannot be written");
    this.imageName = imageName;
  }

  public String imageName() {
    return imageName;
  }
}
