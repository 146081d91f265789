package dev.intact.client;

import java.io.IOException;

/** The daemon refused a request: its status and one-line reason, and what was asked. */
public final class ImageServerException extends IOException {
  private final int status;
  private final String reason;

  public ImageServerException(String request, int status, String reason) {
    super(request + " failed: HTTP " + status + ": " + reason);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }
}
