package dev.intact.server.ticket;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;

/**
 * Jazzer fuzz target for the body of {@code PUT /tickets/{id}}, read the way {@code Exchange}
 * reads it: JSON tree, bound to {@link TicketSpec}, validated. A normal test run replays the
 * committed corpus in {@code
 * src/test/resources/dev/intact/server/ticket/TicketSpecFuzzTestInputs}; {@code bin/fuzz} fuzzes
 * for real. Refusals must be Jackson's parse errors or a 400 {@link HttpError}; anything else
 * (a NullPointerException in validation, say) would reach the client as a 500.
 */
class TicketSpecFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void ticketBody(byte[] body) {
    TicketSpec spec;
    try {
      JsonNode node = Exchange.JSON.readTree(body);
      if (node == null || !node.isObject()) {
        return;
      }
      spec = Exchange.JSON.treeToValue(node, TicketSpec.class);
    } catch (JacksonException e) {
      return;
    } catch (java.io.IOException e) {
      throw new AssertionError("reading a byte array failed with I/O", e);
    }
    String id = spec.uuid() == null ? "ticket" : spec.uuid();
    try {
      spec.validate(id);
    } catch (HttpError e) {
      if (e.status() != 400) {
        throw new AssertionError("a bad ticket gave HTTP " + e.status() + ": " + e.getMessage());
      }
      return;
    }
    if (spec.size() < 0 || spec.ops().isEmpty()) {
      throw new AssertionError("validate accepted " + spec);
    }
    spec.canWrite();
  }
}
