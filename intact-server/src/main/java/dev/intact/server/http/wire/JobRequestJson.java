package dev.intact.server.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST .../checksum-jobs}, in the Coriolis writer's shape: every field may be absent ({@code
 * end_offset} 0 or absent means the end of the image).
 */
public record JobRequestJson(
    @JsonProperty("start_offset") Long startOffset,
    @JsonProperty("end_offset") Long endOffset,
    @JsonProperty("checksum_algorithm") String checksumAlgorithm,
    @JsonProperty("block_size") Long blockSize) {}
