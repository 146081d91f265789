package dev.intact.client;

import java.io.IOException;

/**
 * A daemon cannot compute the checksum a transfer needs (an imageio daemon has no checksum jobs,
 * only a whole-image {@code /checksum}): nothing was verified, and the message says what would be.
 */
public final class ChecksumUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public ChecksumUnavailableException(String message) {
    super(message);
  }
}
