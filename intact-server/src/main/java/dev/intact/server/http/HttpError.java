package dev.intact.server.http;

/**
 * A request that cannot be served, with the HTTP status and the one-line reason the client sees as
 * {@code text/plain}. Thrown anywhere below a handler; the handler turns it into the response.
 */
public final class HttpError extends RuntimeException {
  /** Longer reasons are cut: they may quote a hostile header or path. */
  static final int MAX_REASON = 1000;

  private final int status;

  public HttpError(int status, String reason) {
    super(oneLine(reason), null, false, false);
    this.status = status;
  }

  /**
   * The reason as one short line. Reasons quote what the client sent (a header, a decoded {@code
   * %0A} in a query), so control characters are escaped rather than trusted, and a hostile length
   * is cut. (RangeHeadersFuzzTest found a newline in a header making this constructor throw.)
   */
  static String oneLine(String reason) {
    StringBuilder b = new StringBuilder(Math.min(reason.length(), MAX_REASON) + 16);
    for (int i = 0; i < reason.length(); i++) {
      if (b.length() >= MAX_REASON) {
        return b.append("...").toString();
      }
      char c = reason.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
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
