package dev.intact.server.http.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;

/**
 * Jazzer fuzz target for the body of {@code PATCH /tickets/{id}}, read as the control handler reads
 * it ({@link Exchange#parseJson}, then {@link TicketPatchJson#of}). The committed corpus in {@code
 * src/test/resources/dev/intact/server/http/wire/TicketPatchFuzzTestInputs} is replayed by every
 * test run. The only refusal allowed is a 400 (anything else would reach the engine as a 500), and
 * what is accepted is a positive whole number of seconds that was written as one: the body, parsed
 * again, holds an integer {@code timeout} of that value.
 */
class TicketPatchFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void patchBody(byte[] body) {
    TicketPatchJson patch;
    try {
      patch = TicketPatchJson.of(Exchange.parseJson(body));
    } catch (HttpError e) {
      if (e.status() != 400) {
        throw new AssertionError(
            "a bad PATCH body gave HTTP " + e.status() + ": " + e.getMessage());
      }
      return;
    }
    if (patch.timeout() <= 0) {
      throw new AssertionError("accepted a timeout that is not positive: " + patch.timeout());
    }
    var again = Exchange.parseJson(body).get("timeout");
    if (!again.isIntegralNumber() || again.asLong() != patch.timeout()) {
      throw new AssertionError("accepted " + again + " as " + patch.timeout());
    }
  }
}
