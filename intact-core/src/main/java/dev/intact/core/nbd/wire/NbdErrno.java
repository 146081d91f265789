package dev.intact.core.nbd.wire;

/**
 * The error values a command reply may carry (a fixed subset of errno, in the protocol's numbers).
 */
public enum NbdErrno {
  EPERM(1, "operation not permitted"),
  EIO(5, "input/output error"),
  ENOMEM(12, "cannot allocate memory"),
  EINVAL(22, "invalid argument"),
  ENOSPC(28, "no space left on device"),
  EOVERFLOW(75, "value too large"),
  ENOTSUP(95, "operation not supported"),
  ESHUTDOWN(108, "server is shutting down");

  private final int code;
  private final String description;

  NbdErrno(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  /**
   * The error with this value. The protocol tells clients to treat values they do not know as
   * {@link #EINVAL}.
   */
  public static NbdErrno ofCode(int code) {
    for (NbdErrno e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return EINVAL;
  }
}
