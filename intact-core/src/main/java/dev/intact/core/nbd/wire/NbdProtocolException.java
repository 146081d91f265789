package dev.intact.core.nbd.wire;

import java.io.IOException;

/**
 * The peer sent something the protocol does not allow (a bad magic, an impossible length, a reply
 * to a request never made). The connection cannot be trusted afterwards and is closed.
 */
public final class NbdProtocolException extends IOException {
  public NbdProtocolException(String message) {
    super(message);
  }

  public NbdProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
