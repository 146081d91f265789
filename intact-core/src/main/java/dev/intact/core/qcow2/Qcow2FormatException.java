package dev.intact.core.qcow2;

import java.io.IOException;

/**
 * A qcow2 file whose metadata cannot be followed (a table past the end of the file, an absurd size,
 * a compressed cluster that does not decompress to one cluster): one line naming the file and what
 * is wrong.
 */
public final class Qcow2FormatException extends IOException {
  public Qcow2FormatException(String file, String problem) {
    super(file + ": not a readable qcow2 image: " + problem);
  }
}
