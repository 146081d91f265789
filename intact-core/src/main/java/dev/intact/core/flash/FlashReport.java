package dev.intact.core.flash;

import java.time.Duration;
import java.util.List;

/**
 * What a flash did.
 *
 * @param rangesVerified ranges proven on the destination (read back and matching), or, without
 *     read-back, proven at the source against the bmap
 * @param rangesUnverified ranges written that nothing verified because the user turned both checks
 *     off
 * @param retries range rewrites after a read-back mismatch
 * @param failures every range that is not right on the destination
 */
public record FlashReport(
    String source,
    String target,
    long imageSize,
    long bytesWritten,
    int rangesTotal,
    int rangesVerified,
    int rangesUnverified,
    boolean readBack,
    int retries,
    List<RangeFailure> failures,
    Duration duration) {

  public FlashReport {
    failures = List.copyOf(failures);
  }

  /** True when every range is on the destination and verified (or unverified by request). */
  public boolean succeeded() {
    return failures.isEmpty() && rangesVerified + rangesUnverified == rangesTotal;
  }

  /** Bytes written per second. */
  public double throughput() {
    double s = duration.toNanos() / 1e9;
    return s <= 0 ? 0 : bytesWritten / s;
  }
}
