package dev.intact.server.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /images/{ticket}/extents?context=zero}. */
public record ExtentJson(
    @JsonProperty("start") long start,
    @JsonProperty("length") long length,
    @JsonProperty("zero") boolean zero,
    @JsonProperty("hole") boolean hole) {}
