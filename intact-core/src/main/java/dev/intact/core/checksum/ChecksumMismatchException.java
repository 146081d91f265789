package dev.intact.core.checksum;

import dev.intact.core.image.ByteRange;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Data that does not hash to the value it must have: the one mismatch type of every Intact feature
 * (a transfer's verification, a flash's read-back, a volume block's tag, a file's checksum record).
 * It names the resource, the range when only part of it was checked, the algorithm and both values,
 * so a message built from it alone tells an operator what to look at.
 */
public final class ChecksumMismatchException extends IOException {
  private final String resource;
  private final ByteRange range;
  private final String algorithm;
  private final String expected;
  private final String actual;
  private final String expectedFrom;
  private final String actualFrom;

  /**
   * @param resource what was checked: a path, a URL, a device, a volume
   * @param range the bytes checked, or {@code null} when the whole resource was
   * @param algorithm the algorithm's canonical name ({@code sha256}, {@code blkhash}, ...)
   * @param expected the value the data must have (hex, or the record's own spelling)
   * @param actual the value the data has
   */
  public ChecksumMismatchException(
      String resource, ByteRange range, String algorithm, String expected, String actual) {
    this(
        "checksum mismatch in "
            + resource
            + (range == null ? "" : " " + range)
            + ": "
            + algorithm
            + " expected "
            + expected
            + " actual "
            + actual,
        resource,
        range,
        algorithm,
        expected,
        null,
        actual,
        null);
  }

  private ChecksumMismatchException(
      String message,
      String resource,
      ByteRange range,
      String algorithm,
      String expected,
      String expectedFrom,
      String actual,
      String actualFrom) {
    super(message);
    this.resource = Objects.requireNonNull(resource, "resource");
    this.range = range;
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.expected = Objects.requireNonNull(expected, "expected");
    this.actual = Objects.requireNonNull(actual, "actual");
    this.expectedFrom = expectedFrom;
    this.actualFrom = actualFrom;
  }

  /**
   * A verification that compared two sides, each named for the operator: which one held the value
   * that was expected ({@code "the source (disk.raw)"}, {@code "--expected"}) and which one held
   * the other ({@code "the destination's storage"}). The message says who has what: {@code
   * verification failed for RESOURCE [range]: SIDE has ALG X but OTHER SIDE has Y}.
   */
  public static ChecksumMismatchException between(
      String resource,
      ByteRange range,
      Checksum expected,
      String expectedFrom,
      Checksum actual,
      String actualFrom) {
    String algorithm = expected.type().name();
    String want = expected.value().toHex();
    String got = actual.value().toHex();
    return new ChecksumMismatchException(
        "verification failed for "
            + resource
            + (range == null ? "" : " " + range)
            + ": "
            + Objects.requireNonNull(expectedFrom, "expectedFrom")
            + " has "
            + algorithm
            + " "
            + want
            + " but "
            + Objects.requireNonNull(actualFrom, "actualFrom")
            + " has "
            + got,
        resource,
        range,
        algorithm,
        want,
        expectedFrom,
        got,
        actualFrom);
  }

  /** The mismatch between two checksums of the same type, named by the expected one's type. */
  public static ChecksumMismatchException of(
      String resource, ByteRange range, Checksum expected, Checksum actual) {
    return new ChecksumMismatchException(
        resource, range, expected.type().name(), expected.value().toHex(), actual.value().toHex());
  }

  public String resource() {
    return resource;
  }

  /** The bytes checked; empty when the whole resource was. */
  public Optional<ByteRange> range() {
    return Optional.ofNullable(range);
  }

  public String algorithm() {
    return algorithm;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }

  /** Who held the expected value, when the check compared two named sides. */
  public Optional<String> expectedFrom() {
    return Optional.ofNullable(expectedFrom);
  }

  /** Who held the actual value, when the check compared two named sides. */
  public Optional<String> actualFrom() {
    return Optional.ofNullable(actualFrom);
  }
}
