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

  /** {@code request} is what was asked: {@code "read"} or {@code "block status"}. */
  public NbdReadException(
      String image, String request, long offset, long length, IOException cause) {
    super(
        image
            + ": "
            + request
            + " of "
            + length
            + " bytes at offset "
            + offset
            + " failed: "
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
        cause);
    this.image = image;
    this.offset = offset;
    this.length = length;
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
