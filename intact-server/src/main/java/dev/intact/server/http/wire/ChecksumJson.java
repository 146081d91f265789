package dev.intact.server.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /images/{ticket}/checksum}: imageio's block-hash list of the whole image. */
public record ChecksumJson(
    @JsonProperty("algorithm") String algorithm,
    @JsonProperty("block_size") int blockSize,
    @JsonProperty("checksum") String checksum) {}
