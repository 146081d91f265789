package dev.intact.core.qcow2;

import java.io.IOException;

/**
 * A qcow2 file whose metadata cannot be followed (a table past the end of the file, an absurd size,
 * a compressed cluster that does not decompress to one cluster): one line naming the file and what
 * is wrong.
 */
public final class Qcow2FormatException extends IOException {
  private final String reason;

  public Qcow2FormatException(String file, String problem) {
    super(file + ": " + reasonFor(problem));
    this.reason = reasonFor(problem);
  }

  private static String reasonFor(String problem) {
    return "not a readable qcow2 image: " + problem;
  }

  /** The message without the file's name, for a caller that puts the name in front itself. */
  public String reason() {
    return reason;
  }
}
