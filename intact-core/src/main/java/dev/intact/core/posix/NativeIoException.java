package dev.intact.core.posix;

import java.io.IOException;

/**
 * A system call that failed: which call, on which file, and why, in one line, for example {@code
 * lseek(SEEK_DATA) on /x/y.img failed: Invalid argument}.
 */
public final class NativeIoException extends IOException {
  private final String operation;
  private final String path;
  private final int errno;

  public NativeIoException(String operation, String path, int errno, String reason) {
    super(operation + " on " + path + " failed: " + reason);
    this.operation = operation;
    this.path = path;
    this.errno = errno;
  }

  /** The call, with its distinguishing argument: {@code open}, {@code lseek(SEEK_DATA)}. */
  public String operation() {
    return operation;
  }

  /** The file or device the call was made on. */
  public String path() {
    return path;
  }

  /** The C {@code errno} value; compare with the constants of {@link Posix}. */
  public int errno() {
    return errno;
  }

  /**
   * Whether {@link #errno()} is one of {@code errnos}: callers name the errors that mean "this
   * kernel or storage cannot do that", after which they take a slower way.
   */
  public boolean errnoIsOneOf(int... errnos) {
    for (int e : errnos) {
      if (errno == e) {
        return true;
      }
    }
    return false;
  }

  /** Whether the call failed because the file or a directory on its path does not exist. */
  public boolean isNoSuchFile() {
    return errno == Posix.ENOENT;
  }
}
