package dev.intact.server.ticket;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;

/**
 * Jazzer fuzz target for the body of {@code PUT /tickets/{id}}, read as the control handler reads
 * it: {@link Exchange#parseJson}, {@link Exchange#bind} to {@link TicketSpec}, validated. A normal
 * test run replays the committed corpus in {@code
 * src/test/resources/dev/intact/server/ticket/TicketSpecFuzzTestInputs}; {@code scripts/fuzz}
 * fuzzes for real. The only acceptable refusal is a 400 {@link HttpError}: anything else escaping
 * (a NullPointerException in validation, an I/O exception from the JSON reader) would reach the
 * client as a 500.
 */
class TicketSpecFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void ticketBody(byte[] body) {
    TicketSpec spec;
    try {
      spec = Exchange.bind(Exchange.parseJson(body), TicketSpec.class);
      spec.validate(spec.uuid() == null ? "ticket" : spec.uuid());
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
