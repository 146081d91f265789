package dev.intact.core.flash;

import java.io.IOException;

/** A range must be re-read from a source that can be read only once (standard input). */
public final class SourceNotReopenableException extends IOException {
  public SourceNotReopenableException(String source) {
    super(
        source
            + ": cannot be read a second time to rewrite a range (flash from a file to allow it)");
  }
}
