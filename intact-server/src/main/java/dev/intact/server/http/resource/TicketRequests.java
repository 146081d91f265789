package dev.intact.server.http.resource;

import dev.intact.core.image.RangeOutOfBoundsException;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;
import dev.intact.server.http.ServerPaths;
import dev.intact.server.ticket.Ticket;
import dev.intact.server.ticket.TicketStore;
import java.io.EOFException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a request's work inside its ticket's bracket ({@link Ticket#begin} / {@link Ticket#end}), so
 * removing the ticket can wait for it, or abort it by closing its connection.
 */
final class TicketRequests {
  /** The work of one request on its ticket. */
  @FunctionalInterface
  interface Work {
    void run(Ticket ticket) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(TicketRequests.class);

  private final TicketStore tickets;

  TicketRequests(TicketStore tickets) {
    this.tickets = tickets;
  }

  Ticket get(String id) {
    return tickets.get(id);
  }

  /** Runs {@code work} on ticket {@code id}; {@code write} asks for a ticket that allows writes. */
  void run(Exchange ex, String id, boolean write, Work work) throws Exception {
    Ticket ticket = tickets.get(id);
    // Closing the connection fails a write blocked on a client that stopped reading.
    Runnable abort =
        () -> ex.request().getConnectionMetaData().getConnection().getEndPoint().close();
    ticket.begin(write, abort);
    try {
      work.run(ticket);
    } catch (EofException clientGone) {
      throw clientGone; // the client's side (Jetty's subclass of EOFException): not the image
    } catch (EOFException e) {
      // Storage ends before the ticket's size: the file was truncated after the ticket was added.
      // The core's message names the descriptor path; the client is told about its ticket only.
      throw shrunk(ticket, e);
    } catch (RangeOutOfBoundsException e) {
      if (ticket.image().size() < ticket.size()) {
        throw shrunk(ticket, e);
      }
      throw HttpError.rangeNotSatisfiable(ServerPaths.scrub(e.getMessage()));
    } finally {
      ticket.end(abort);
    }
  }

  private static HttpError shrunk(Ticket ticket, Exception cause) {
    LOG.warn("ticket {}: {}", ticket.id().redacted(), cause.getMessage());
    return HttpError.conflict(
        "the image of ticket "
            + ticket.id().redacted()
            + " is now shorter than the ticket's size "
            + ticket.size()
            + " (it shrank after the ticket was added)");
  }
}
