package dev.intact.server.http;

import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.Posix;
import java.io.EOFException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what a route threw into the response: one line, the right status, causes logged. */
final class ErrorHandling {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);

  private ErrorHandling() {}

  static void respond(Exchange ex, Throwable t) {
    HttpError error = classify(ex, t);
    if (ex.response().isCommitted()) {
      // Headers are out: the only honest signal left is to abort the response.
      ex.callback().failed(t);
      return;
    }
    if (!clientFailed(t)) {
      UnreadBody.discard(ex.request());
    }
    ex.error(error);
  }

  /** The client went away or stalled: no more of its body will come, and no answer will land. */
  private static boolean clientFailed(Throwable t) {
    return t instanceof EofException
        || (t instanceof java.io.IOException
            && t.getCause() instanceof java.util.concurrent.TimeoutException);
  }

  private static HttpError classify(Exchange ex, Throwable t) {
    return switch (t) {
      case HttpError e -> e;
      case dev.intact.core.image.RangeOutOfBoundsException e ->
          HttpError.rangeNotSatisfiable(ServerPaths.scrub(e.getMessage()));
      case dev.intact.core.hash.UnknownAlgorithmException e -> HttpError.badRequest(e.getMessage());
      case IllegalArgumentException e -> HttpError.badRequest(ServerPaths.scrub(e.getMessage()));
      case NativeIoException e when e.errnoIsOneOf(Posix.ENOSPC) -> {
        LOG.warn(
            "{} {}: {}",
            ex.method(),
            Redaction.path(ex.request().getHttpURI().getPath()),
            e.getMessage());
        yield new HttpError(
            507, "no space left on the daemon's storage: free some there, then send again");
      }
      case EofException e -> HttpError.badRequest("client went away: " + e.getMessage());
      case EOFException e -> HttpError.badRequest("request body ended early: " + e.getMessage());
      case java.io.IOException e
          when e.getCause() instanceof java.util.concurrent.TimeoutException ->
          new HttpError(408, "client stalled: " + e.getCause().getMessage());
      default -> {
        LOG.error(
            "{} {} failed", ex.method(), Redaction.path(ex.request().getHttpURI().getPath()), t);
        yield new HttpError(
            500,
            "internal error: "
                + t.getClass().getSimpleName()
                + (t.getMessage() == null
                    ? ""
                    : ": " + ServerPaths.scrub(t.getMessage().lines().findFirst().orElse(""))));
      }
    };
  }
}
