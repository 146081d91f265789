package dev.intact.spark;

import dev.intact.core.image.RangeOutOfBoundsException;
import dev.intact.core.posix.NativeIoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One-line descriptions of an input's failure, worded as {@code intact sum} words them. */
final class Failures {
  private Failures() {}

  static String failure(String file, Exception e) {
    return switch (e) {
      case IOException io -> file + ": " + reason(io);
      case RangeOutOfBoundsException r -> r.getMessage();
      default -> file + ": " + e.getMessage();
    };
  }

  private static String reason(IOException e) {
    return switch (e) {
      case NativeIoException n when n.operation().equals("open") -> systemReason(n);
      case NativeIoException n -> n.operation() + " failed: " + systemReason(n);
      case NoSuchFileException x ->
          x.getReason() != null ? x.getReason() : "No such file or directory";
      case AccessDeniedException x -> "Permission denied";
      case FileSystemException x when x.getReason() != null -> x.getReason();
      default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    };
  }

  private static String systemReason(NativeIoException n) {
    String message = n.getMessage();
    int at = message.indexOf(" failed: ");
    return at < 0 ? message : message.substring(at + " failed: ".length());
  }
}
