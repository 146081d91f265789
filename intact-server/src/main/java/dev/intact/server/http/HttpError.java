package dev.intact.server.http;

/**
 * A request that cannot be served, with the HTTP status and the one-line reason the client sees as
 * {@code text/plain}. Thrown anywhere below a handler; the handler turns it into the response.
 */
public final class HttpError extends RuntimeException {
  private final int status;

  public HttpError(int status, String reason) {
    super(reason, null, false, false);
    if (reason.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a reason is one line: " + reason);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static HttpError badRequest(String reason) {
    return new HttpError(400, reason);
  }

  public static HttpError forbidden(String reason) {
    return new HttpError(403, reason);
  }

  public static HttpError notFound(String reason) {
    return new HttpError(404, reason);
  }

  public static HttpError conflict(String reason) {
    return new HttpError(409, reason);
  }

  public static HttpError rangeNotSatisfiable(String reason) {
    return new HttpError(416, reason);
  }
}
