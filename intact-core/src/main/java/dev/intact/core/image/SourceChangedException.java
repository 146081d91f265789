package dev.intact.core.image;

import java.io.IOException;

/**
 * A source that changed while it was read: the bytes sent (and checksummed) may mix its old and new
 * contents, so they prove nothing about the file as it is, and nothing is reported verified.
 */
public final class SourceChangedException extends IOException {
  private final String file;

  public SourceChangedException(String file, String changes) {
    super(file + ": file changed as it was read (" + changes + "); nothing was verified");
    this.file = file;
  }

  public String file() {
    return file;
  }
}
