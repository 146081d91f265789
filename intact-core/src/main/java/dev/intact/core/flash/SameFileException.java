package dev.intact.core.flash;

import java.io.IOException;

/**
 * A flash whose destination is its own source (one inode, one device, or a loop device reading the
 * other): the destination is emptied before it is written, which would destroy the source.
 */
public final class SameFileException extends IOException {
  public SameFileException(String source, String destination, String why) {
    super(
        "refusing to flash "
            + source
            + " onto "
            + destination
            + ": "
            + why
            + "; nothing was written");
  }
}
