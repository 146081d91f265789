package dev.intact.core.record;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.util.Optional;

/**
 * What became of one checksum type of one file: checked, recorded, or why neither.
 *
 * @param expected the stored value (null if there was none)
 * @param actual the value computed now (null if none was computed)
 * @param note why the outcome is what it is (the stale reason, the malformed record...), or empty
 */
public record TypeResult(
    ChecksumType type, Outcome outcome, HashCode expected, HashCode actual, String note) {

  /** Outcomes, from good to bad. */
  public enum Outcome {
    /** Recomputed and equal to the record. */
    OK,
    /** A record was written (new, or refreshed with --update). */
    RECORDED,
    /** A record exists but was made for another size or mtime: not trusted, not refreshed. */
    STALE,
    /** No record of a type that was required. */
    MISSING,
    /** The record cannot be decoded. */
    MALFORMED,
    /** Recomputed and different from the record. */
    FAILED
  }

  /** The mismatch, for a FAILED outcome. */
  public Optional<ChecksumMismatchException> mismatch(String resource) {
    return outcome == Outcome.FAILED
        ? Optional.of(
            new ChecksumMismatchException(
                resource, null, type.name(), expected.toHex(), actual.toHex()))
        : Optional.empty();
  }
}
