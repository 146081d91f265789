package dev.intact.cli.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.intact.client.TransferResult;
import dev.intact.core.checksum.BlockHashList;

/**
 * The {@code --json} result of upload, download and copy: the fields of {@code intact sum --json}
 * (algorithm, block_size, checksum, size, range) and what the transfer did. {@code verified} is
 * true only when the other side's checksum was computed from its storage and matched; {@code
 * compared_as} names the value that was compared when the daemon (imageio) could only offer its own
 * block-hash list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "operation",
  "verified",
  "algorithm",
  "block_size",
  "checksum",
  "size",
  "range",
  "data_bytes",
  "zero_bytes",
  "repair_rounds",
  "repaired_blocks",
  "compared_as",
  "target"
})
record TransferRecord(
    String operation,
    boolean verified,
    String algorithm,
    @JsonProperty("block_size") Integer blockSize,
    String checksum,
    long size,
    Range range,
    @JsonProperty("data_bytes") long dataBytes,
    @JsonProperty("zero_bytes") long zeroBytes,
    @JsonProperty("repair_rounds") int repairRounds,
    @JsonProperty("repaired_blocks") long repairedBlocks,
    @JsonProperty("compared_as") String comparedAs,
    String target) {

  /** {@code [start, end)} in bytes. */
  record Range(long start, long end) {}

  static TransferRecord of(String operation, TransferResult r, String target) {
    return new TransferRecord(
        operation,
        r.verified(),
        r.checksum().type().name(),
        r.checksum().type() instanceof BlockHashList b ? b.blockSize() : null,
        r.checksum().value().toHex(),
        r.range().length(),
        new Range(r.range().start(), r.range().end()),
        r.dataBytes(),
        r.zeroBytes(),
        r.repairRounds(),
        r.repairedBlocks(),
        r.comparedInstead().map(c -> c.type().name() + ":" + c.value().toHex()).orElse(null),
        target);
  }

  /** One line of JSON; non-ASCII escaped, as {@code intact sum --json} writes it. */
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
