package dev.intact.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.image.ByteRange;

/**
 * One {@code --json} line. {@code block_size} appears only for block-hash lists, {@code range} only
 * when a range was asked for; {@code size} is the number of bytes the checksum covers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"algorithm", "block_size", "checksum", "size", "range", "file"})
record SumRecord(
    String algorithm,
    @JsonProperty("block_size") Integer blockSize,
    String checksum,
    long size,
    Range range,
    String file) {

  /** {@code [start, end)} in bytes. */
  record Range(long start, long end) {}

  static SumRecord of(Checksum checksum, ByteRange range, String file) {
    return new SumRecord(
        checksum.type().name(),
        checksum.type() instanceof BlockHashList b ? b.blockSize() : null,
        checksum.value().toHex(),
        checksum.size(),
        range == null ? null : new Range(range.start(), range.end()),
        file);
  }
}
