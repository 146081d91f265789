package dev.intact.server.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.ByteRange;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** One asynchronous checksum over a range of a ticket's image. */
public final class ChecksumJob {

  /** {@code GET .../checksum-jobs/{job}}, in the Coriolis writer's shape. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Status(
      @JsonProperty("job_id") String jobId,
      @JsonProperty("execution_status") String executionStatus,
      @JsonProperty("bytes_done") long bytesDone,
      @JsonProperty("bytes_total") long bytesTotal,
      @JsonProperty("checksum_value") String checksumValue,
      @JsonProperty("checksum_algorithm") String checksumAlgorithm,
      @JsonProperty("block_size") Integer blockSize,
      @JsonProperty("start_offset") long startOffset,
      @JsonProperty("end_offset") long endOffset,
      @JsonProperty("error_message") String errorMessage) {}

  private final String id;
  private final ChecksumType type;
  private final ByteRange range;
  private final AtomicLong bytesDone = new AtomicLong();
  private volatile Checksum result;
  private volatile String error;
  private volatile Future<?> future;
  private final long createdNanos = System.nanoTime();

  ChecksumJob(String id, ChecksumType type, ByteRange range) {
    this.id = id;
    this.type = type;
    this.range = range;
  }

  public String id() {
    return id;
  }

  ChecksumType type() {
    return type;
  }

  ByteRange range() {
    return range;
  }

  long createdNanos() {
    return createdNanos;
  }

  void advance(long bytes) {
    bytesDone.addAndGet(bytes);
  }

  void finish(Checksum checksum) {
    result = checksum;
  }

  void fail(String message) {
    error = message;
  }

  void attach(Future<?> f) {
    future = f;
  }

  boolean done() {
    return result != null || error != null;
  }

  void cancel() {
    Future<?> f = future;
    if (f != null) {
      f.cancel(true);
    }
  }

  public Status status() {
    Checksum r = result;
    String e = error;
    String state = r != null ? "finished" : e != null ? "failed" : "running";
    return new Status(
        id,
        state,
        r != null ? range.length() : bytesDone.get(),
        range.length(),
        r != null ? r.value().toHex() : null,
        type.name(),
        type instanceof BlockHashList b ? b.blockSize() : null,
        range.start(),
        range.end(),
        e);
  }
}
