package dev.intact.server.http.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to {@code POST .../checksum-jobs}: where to poll. */
public record JobStartedJson(@JsonProperty("job_id") String jobId) {}
