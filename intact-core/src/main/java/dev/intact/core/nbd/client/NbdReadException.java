package dev.intact.core.nbd.client;

import java.io.IOException;

/**
 * A read or block status request of an NBD image that got no answer because its connection failed
 * (the server died, closed the socket or broke the protocol): names the image and the range, since
 * the connection's own message names only a socket the user never saw (qemu-nbd's, for a qcow2).
 */
public final class NbdReadException extends IOException {
  private final String image;
  private final long offset;
  private final long length;
  private final String reason;

  /** {@code request} is what was asked: {@code "read"} or {@code "block status"}. */
  public NbdReadException(
      String image, String request, long offset, long length, IOException cause) {
    this(image, offset, length, cause, reason(request, offset, length, cause));
  }

  private NbdReadException(
      String image, long offset, long length, IOException cause, String reason) {
    super(image + ": " + reason, cause);
    this.image = image;
    this.offset = offset;
    this.length = length;
    this.reason = reason;
  }

  private static String reason(String request, long offset, long length, IOException cause) {
    return request
        + " of "
        + length
        + " bytes at offset "
        + offset
        + " failed: "
        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
  }

  /** The message without the image's name, for a caller that puts the name in front itself. */
  public String reason() {
    return reason;
  }

  public String image() {
    return image;
  }

  public long offset() {
    return offset;
  }

  public long length() {
    return length;
  }
}
