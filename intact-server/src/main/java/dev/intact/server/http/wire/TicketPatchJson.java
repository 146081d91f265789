package dev.intact.server.http.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intact.server.http.HttpError;

/**
 * The body of {@code PATCH /tickets/{id}}, as ovirt-imageio's engine sends it: {@code {"timeout":
 * seconds}}, the ticket's new lifetime from now. Other keys are ignored, as imageio does.
 */
public record TicketPatchJson(long timeout) {
  /**
   * Reads a parsed PATCH body.
   *
   * @throws HttpError 400 unless {@code timeout} is a positive integer that fits a long (not 1.5,
   *     30.0 or "30")
   */
  public static TicketPatchJson of(JsonNode body) {
    JsonNode timeout = body.isObject() ? body.get("timeout") : null;
    if (timeout == null || !timeout.isIntegralNumber() || !timeout.canConvertToLong()) {
      throw HttpError.badRequest("PATCH body must be {\"timeout\": seconds}");
    }
    if (timeout.asLong() <= 0) {
      throw HttpError.badRequest("timeout must be positive: " + timeout.asLong());
    }
    return new TicketPatchJson(timeout.asLong());
  }
}
