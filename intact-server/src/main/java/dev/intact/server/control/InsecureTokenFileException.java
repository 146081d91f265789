package dev.intact.server.control;

import java.io.IOException;
import java.nio.file.Path;

/** The control token file could be read or replaced by someone other than the daemon's user. */
public final class InsecureTokenFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public InsecureTokenFileException(Path file, String problem) {
    super("control token file " + file + " " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
