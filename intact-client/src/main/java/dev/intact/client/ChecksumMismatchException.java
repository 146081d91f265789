package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.image.ByteRange;
import java.io.IOException;

/**
 * The destination does not hold what was sent: both checksums, their algorithm, the range and the
 * image they concern.
 */
public final class ChecksumMismatchException extends IOException {
  private final Checksum expected;
  private final Checksum actual;
  private final ByteRange range;

  public ChecksumMismatchException(
      String what,
      Checksum expected,
      String expectedFrom,
      Checksum actual,
      String actualFrom,
      ByteRange range) {
    super(
        "verification failed for "
            + what
            + " "
            + range
            + ": "
            + expectedFrom
            + " has "
            + expected.type().name()
            + " "
            + expected.value().toHex()
            + " but "
            + actualFrom
            + " has "
            + actual.value().toHex());
    this.expected = expected;
    this.actual = actual;
    this.range = range;
  }

  public Checksum expected() {
    return expected;
  }

  public Checksum actual() {
    return actual;
  }

  public ByteRange range() {
    return range;
  }
}
