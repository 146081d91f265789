package dev.intact.core.posix;

import java.io.IOException;

/**
 * The file system holding a file stores no user extended attributes (ramfs, vfat, some FUSE file
 * systems answer {@code ENOTSUP}): records must then be kept elsewhere, in a manifest file.
 */
public final class XattrsUnsupportedException extends IOException {
  private final String path;

  public XattrsUnsupportedException(String path, String detail) {
    super(
        path
            + ": the file system stores no user extended attributes ("
            + detail
            + "); keep the records in a manifest instead: --manifest FILE");
    this.path = path;
  }

  /** The file whose attributes could not be read or written. */
  public String path() {
    return path;
  }
}
