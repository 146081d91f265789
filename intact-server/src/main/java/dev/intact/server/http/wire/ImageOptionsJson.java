package dev.intact.server.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code OPTIONS /images/{ticket}}: what the daemon supports and how many connections to use. */
public record ImageOptionsJson(
    @JsonProperty("features") List<String> features,
    @JsonProperty("max_readers") int maxReaders,
    @JsonProperty("max_writers") int maxWriters) {}
