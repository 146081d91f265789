package dev.intact.spark;

/**
 * An input a command cannot take because it is not a local/POSIX path ({@code hdfs://}, {@code
 * s3a://}): reported in one line, exit status 2, without the usage text.
 */
final class NotLocalException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  NotLocalException(String message) {
    super(message);
  }
}
