package dev.intact.cli.flash;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.intact.core.flash.FlashReport;
import dev.intact.core.flash.RangeFailure;
import java.util.List;

/**
 * The {@code flash --json} result: what was written, how it was verified (read back from the medium
 * or against the bmap's checksums), what was rewritten, and every range that failed.
 */
@JsonPropertyOrder({
  "operation",
  "verified",
  "source",
  "target",
  "size",
  "bytes_written",
  "ranges",
  "ranges_verified",
  "ranges_unverified",
  "read_back",
  "ranges_rewritten",
  "failures",
  "seconds"
})
record FlashRecord(
    String operation,
    boolean verified,
    String source,
    String target,
    long size,
    @JsonProperty("bytes_written") long bytesWritten,
    int ranges,
    @JsonProperty("ranges_verified") int rangesVerified,
    @JsonProperty("ranges_unverified") int rangesUnverified,
    @JsonProperty("read_back") boolean readBack,
    @JsonProperty("ranges_rewritten") int rangesRewritten,
    List<String> failures,
    double seconds) {

  static FlashRecord of(FlashReport r) {
    return new FlashRecord(
        "flash",
        r.succeeded() && r.rangesUnverified() == 0,
        r.source(),
        r.target(),
        r.imageSize(),
        r.bytesWritten(),
        r.rangesTotal(),
        r.rangesVerified(),
        r.rangesUnverified(),
        r.readBack(),
        r.retries(),
        r.failures().stream().map(RangeFailure::toString).toList(),
        r.duration().toNanos() / 1e9);
  }

  String toJson() {
    try {
      return JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .build()
          .writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON record: " + e.getOriginalMessage(), e);
    }
  }
}
