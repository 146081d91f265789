package dev.intact.core.image;

import java.io.IOException;

/**
 * A read-back that would have read another file than the one written: the file reopened to read
 * past the page cache is not the inode the image holds open (device and inode numbers differ), so
 * nothing it reads could prove what was written.
 */
public final class ImageReplacedException extends IOException {
  private final String file;

  public ImageReplacedException(String file) {
    super(
        file
            + ": reopened for read-back it is another file than the one written"
            + " (replaced or renamed meanwhile); nothing was verified");
    this.file = file;
  }

  public String file() {
    return file;
  }
}
