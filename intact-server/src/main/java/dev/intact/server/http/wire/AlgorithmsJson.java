package dev.intact.server.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /images/{ticket}/checksum/algorithms}, in imageio's spelling. */
public record AlgorithmsJson(@JsonProperty("algorithms") List<String> algorithms) {}
