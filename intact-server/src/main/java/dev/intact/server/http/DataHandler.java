package dev.intact.server.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The data service's router: finds the {@link Route} whose path matches, then the action for the
 * request's method; an unknown path is a 404, a known path with another method a 405 naming the
 * methods it allows. The resources themselves live in {@code dev.intact.server.http.resource}.
 */
public final class DataHandler extends Handler.Abstract {
  private final List<Route> routes;
  private final int maxJsonBytes;

  public DataHandler(List<Route> routes, int maxJsonBytes) {
    this.routes = List.copyOf(routes);
    this.maxJsonBytes = maxJsonBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex = new Exchange(request, response, callback, maxJsonBytes);
    try {
      dispatch(ex, Request.getPathInContext(request));
    } catch (Throwable t) {
      ErrorHandling.respond(ex, t);
    }
    return true;
  }

  private void dispatch(Exchange ex, String path) throws Exception {
    for (Route route : routes) {
      Optional<Map<String, String>> parameters = route.path().match(path);
      if (parameters.isPresent()) {
        Redaction.routed(ex.request(), route.path().toString(), parameters.get());
        Route.Action action = route.methods().get(ex.method());
        if (action == null) {
          throw methodNotAllowed(ex, route.allow());
        }
        action.run(ex, parameters.get());
        return;
      }
    }
    throw HttpError.notFound("no such resource: " + Redaction.unrouted(path));
  }

  /** A 405 with the {@code Allow} header set. */
  public static HttpError methodNotAllowed(Exchange ex, String allow) {
    ex.response().getHeaders().put(HttpHeader.ALLOW, allow);
    return new HttpError(
        405, "method " + ex.method() + " is not allowed here (allowed: " + allow + ")");
  }
}
