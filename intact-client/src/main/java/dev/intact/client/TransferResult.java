package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.image.ByteRange;

/**
 * What a transfer did and proved.
 *
 * @param checksum the checksum of the range as read from the source
 * @param verified whether the other side's checksum was computed from its storage and matched
 * @param dataBytes bytes sent as data; {@code zeroBytes} went as zero requests (holes, zero blocks)
 * @param repairedBlocks blocks resent by {@code --repair}
 */
public record TransferResult(
    ByteRange range,
    Checksum checksum,
    boolean verified,
    long dataBytes,
    long zeroBytes,
    int repairRounds,
    long repairedBlocks) {}
