package dev.intact.core.record;

import java.io.IOException;

/**
 * The file changed while it was being read (size, mtime, ctime or inode moved, or a second read
 * gave other data): no checksum of it can be trusted, so no record is made.
 */
public final class FileChangedException extends IOException {
  public FileChangedException(String path, String what) {
    super(path + ": changed while being read (" + what + "); nothing recorded, try again");
  }
}
