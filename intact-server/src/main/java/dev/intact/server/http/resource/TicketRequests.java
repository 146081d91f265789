package dev.intact.server.http.resource;

import dev.intact.server.http.Exchange;
import dev.intact.server.ticket.Ticket;
import dev.intact.server.ticket.TicketStore;

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
    } finally {
      ticket.end(abort);
    }
  }
}
