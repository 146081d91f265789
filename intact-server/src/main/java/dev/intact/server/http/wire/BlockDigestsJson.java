package dev.intact.server.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /images/{ticket}/block-digests}: the digest of each block from {@code start}. */
public record BlockDigestsJson(
    @JsonProperty("algorithm") String algorithm,
    @JsonProperty("block_size") int blockSize,
    @JsonProperty("start") long start,
    @JsonProperty("digests") List<String> digests) {}
