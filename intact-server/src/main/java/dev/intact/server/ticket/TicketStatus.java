package dev.intact.server.ticket;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** {@code GET /tickets/{id}}: the ticket as added, plus its live state. */
public record TicketStatus(
    @JsonUnwrapped TicketSpec spec,
    @JsonProperty("active") boolean active,
    @JsonProperty("connections") int connections,
    @JsonProperty("expires") long expires,
    @JsonProperty("idle_time") double idleTime,
    @JsonProperty("transferred") long transferred) {}
