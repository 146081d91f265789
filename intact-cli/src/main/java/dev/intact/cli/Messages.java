package dev.intact.cli;

import dev.intact.core.image.RangeOutOfBoundsException;
import dev.intact.core.nbd.client.NbdReadException;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.qcow2.Qcow2FormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One-line descriptions of failures, worded as coreutils words them where it has a wording. */
final class Messages {
  private Messages() {}

  /** The reason an input could not be read, without the file name (the caller prefixes it). */
  static String reason(IOException e) {
    return switch (e) {
      case NativeIoException n when n.operation().equals("open") -> systemReason(n);
      case NativeIoException n -> n.operation() + " failed: " + systemReason(n);
      case NoSuchFileException x ->
          x.getReason() != null ? x.getReason() : "No such file or directory";
      case AccessDeniedException x -> "Permission denied";
      case FileSystemException x when x.getReason() != null -> x.getReason();
      case NbdReadException n -> n.reason();
      case Qcow2FormatException q -> q.reason();
      default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    };
  }

  /** Whether the input does not exist (which {@code --ignore-missing} forgives). */
  static boolean isMissing(IOException e) {
    return e instanceof NoSuchFileException
        || (e instanceof NativeIoException n && n.isNoSuchFile());
  }

  /** The strerror text the message ends with; the path is already in front of the line. */
  private static String systemReason(NativeIoException n) {
    String message = n.getMessage();
    int at = message.indexOf(" failed: ");
    return at < 0 ? message : message.substring(at + " failed: ".length());
  }

  /** What went wrong with one input, starting with its name: {@code f: Permission denied}. */
  static String failure(String file, Exception e) {
    return switch (e) {
      case IOException io -> file + ": " + reason(io);
      case RangeOutOfBoundsException r -> r.getMessage(); // already names the file
      default -> file + ": " + e.getMessage();
    };
  }

  /** "1 line is", "2 lines are": the summary warnings count things as coreutils does. */
  static String count(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
