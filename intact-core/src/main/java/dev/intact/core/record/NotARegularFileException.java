package dev.intact.core.record;

import java.io.IOException;

/**
 * Records are kept only for regular files: a link, fifo, socket or device in a tree is reported and
 * skipped, never followed or read (a fifo would block, a link could leave the tree).
 */
public final class NotARegularFileException extends IOException {
  public NotARegularFileException(String path, String kind) {
    super(path + ": is " + kind + ", not a regular file");
  }
}
