package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.image.ByteRange;
import java.util.Optional;

/**
 * What a transfer did and proved.
 *
 * @param checksum the checksum of the range as read from the source
 * @param verified whether the other side's checksum was computed from its storage and matched
 * @param dataBytes bytes sent as data; {@code zeroBytes} went as zero requests (holes, zero blocks)
 * @param repairedBlocks blocks resent by {@code --repair}
 * @param compared the checksum the daemons' storage was compared with, when verified: {@code
 *     checksum} itself, or (a daemon without checksum jobs, such as imageio) the imageio block-hash
 *     list its {@code /checksum} computes, recorded inline from the same bytes
 */
public record TransferResult(
    ByteRange range,
    Checksum checksum,
    boolean verified,
    long dataBytes,
    long zeroBytes,
    int repairRounds,
    long repairedBlocks,
    Optional<Checksum> compared) {

  public TransferResult {
    if (verified != compared.isPresent()) {
      throw new IllegalArgumentException("a verified result names what was compared, only then");
    }
  }

  /** The compared checksum when it is not {@link #checksum} (imageio's {@code /checksum}). */
  public Optional<Checksum> comparedInstead() {
    return compared.filter(c -> !c.type().equals(checksum.type()));
  }
}
