package dev.intact.server.http;

import dev.intact.server.control.ControlToken;
import dev.intact.server.http.wire.TicketPatchJson;
import dev.intact.server.ticket.TicketSpec;
import dev.intact.server.ticket.TicketStore;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The control service: {@code /tickets/{id}} with PUT, GET, PATCH and DELETE. */
public final class ControlHandler extends Handler.Abstract {
  private final TicketStore tickets;
  private final int maxJsonBytes;

  private final Optional<ControlToken> token;

  /**
   * @param token the secret every request must carry, for a control service any local user can
   *     connect to (loopback TCP); empty on the owner-only unix socket
   */
  public ControlHandler(TicketStore tickets, int maxJsonBytes, Optional<ControlToken> token) {
    this.tickets = tickets;
    this.maxJsonBytes = maxJsonBytes;
    this.token = token;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex = new Exchange(request, response, callback, maxJsonBytes);
    try {
      if (token.isPresent()
          && !token.get().accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"intact-control\"");
        throw new HttpError(
            401, "control requests need the daemon's token (Authorization: Bearer, control.token)");
      }
      String[] p = Request.getPathInContext(request).split("/", -1);
      if (p.length != 3 || !p[0].isEmpty() || !p[1].equals("tickets") || p[2].isEmpty()) {
        throw HttpError.notFound(
            "no such resource: " + Redaction.unrouted(Request.getPathInContext(request)));
      }
      String id = p[2];
      Redaction.routed(request, "/tickets/{ticket}", java.util.Map.of("ticket", id));
      switch (request.getMethod()) {
        case "PUT" -> {
          tickets.add(id, ex.readJson(TicketSpec.class));
          ex.empty(200);
        }
        case "GET" -> ex.json(200, tickets.get(id).status());
        case "PATCH" -> {
          TicketPatchJson patch = TicketPatchJson.of(ex.readJson());
          tickets.extend(id, patch.timeout());
          ex.empty(200);
        }
        case "DELETE" -> {
          tickets.remove(id);
          ex.empty(204);
        }
        default -> {
          response.getHeaders().put(HttpHeader.ALLOW, "PUT, GET, PATCH, DELETE");
          throw new HttpError(405, "method " + request.getMethod() + " is not allowed here");
        }
      }
    } catch (Throwable t) {
      ErrorHandling.respond(ex, t);
    }
    return true;
  }
}
