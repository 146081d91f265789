package dev.intact.core.flash;

import dev.intact.core.checksum.ChecksumMismatchException;
import java.util.Optional;

/**
 * A range that could not be verified on the destination, and why.
 *
 * @param reason the explanation for the report and the incomplete marker
 * @param mismatch when the range hashed to a value it must not have (the source against its bmap,
 *     or the destination against what was written): which resource, algorithm and values
 */
public record RangeFailure(
    FlashRange range, String reason, Optional<ChecksumMismatchException> mismatch) {

  /** A failure that is not a checksum mismatch: a range not written, a read that failed. */
  public RangeFailure(FlashRange range, String reason) {
    this(range, reason, Optional.empty());
  }

  static RangeFailure mismatch(FlashRange range, String reason, ChecksumMismatchException m) {
    return new RangeFailure(range, reason, Optional.of(m));
  }

  /** The same failure explained differently (what a retry made of it). */
  RangeFailure withReason(String newReason) {
    return new RangeFailure(range, newReason, mismatch);
  }

  @Override
  public String toString() {
    return range.describe() + ": " + reason;
  }
}
