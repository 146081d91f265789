package dev.intact.cli;

/** A line of a sum file that is not a checksum line; the message says why. */
final class MalformedLineException extends Exception {
  MalformedLineException(String reason) {
    super(reason);
  }

  MalformedLineException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
