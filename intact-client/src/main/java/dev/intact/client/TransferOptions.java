package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.ByteRange;
import java.util.Optional;

/**
 * How to transfer: connections, the checksum computed inline (a block-hash list, whose blocks are
 * also the unit of repair, or a whole-stream algorithm such as sha256, hashed in order as parallel
 * connections send), verification, repair and its retries, an optional sub-range, and a known
 * checksum.
 *
 * @param expected a checksum the user already has ({@code --expected ALG:VALUE}); its size is
 *     ignored
 * @param verifyOnly read the source and verify the destination without sending anything first (with
 *     {@code repair}: fix a destination that went bad, sending only the differing blocks)
 */
public record TransferOptions(
    int connections,
    ChecksumType checksumType,
    boolean verify,
    boolean repair,
    int retries,
    Optional<ByteRange> range,
    Optional<Checksum> expected,
    TransferProgress progress,
    boolean verifyOnly) {

  public static final int DEFAULT_CONNECTIONS = 4;
  public static final int DEFAULT_RETRIES = 3;

  public TransferOptions {
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1, not " + connections);
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative: " + retries);
    }
  }

  public static TransferOptions defaults() {
    return new TransferOptions(
        DEFAULT_CONNECTIONS,
        ChecksumType.DEFAULT,
        true,
        false,
        DEFAULT_RETRIES,
        Optional.empty(),
        Optional.empty(),
        TransferProgress.NONE,
        false);
  }

  public TransferOptions withConnections(int n) {
    return new TransferOptions(
        n, checksumType, verify, repair, retries, range, expected, progress, verifyOnly);
  }

  public TransferOptions withChecksumType(ChecksumType t) {
    return new TransferOptions(
        connections, t, verify, repair, retries, range, expected, progress, verifyOnly);
  }

  public TransferOptions withVerify(boolean v) {
    return new TransferOptions(
        connections, checksumType, v, repair, retries, range, expected, progress, verifyOnly);
  }

  public TransferOptions withRepair(boolean r, int n) {
    return new TransferOptions(
        connections, checksumType, verify, r, n, range, expected, progress, verifyOnly);
  }

  public TransferOptions withRange(ByteRange r) {
    return new TransferOptions(
        connections,
        checksumType,
        verify,
        repair,
        retries,
        Optional.of(r),
        expected,
        progress,
        verifyOnly);
  }

  public TransferOptions withExpected(Checksum c) {
    return new TransferOptions(
        connections,
        checksumType,
        verify,
        repair,
        retries,
        range,
        Optional.of(c),
        progress,
        verifyOnly);
  }

  public TransferOptions withVerifyOnly(boolean v) {
    return new TransferOptions(
        connections, checksumType, verify, repair, retries, range, expected, progress, v);
  }

  public TransferOptions withProgress(TransferProgress p) {
    return new TransferOptions(
        connections, checksumType, verify, repair, retries, range, expected, p, verifyOnly);
  }
}
