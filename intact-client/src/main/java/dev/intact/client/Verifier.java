package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.Optional;

/**
 * Proves a transfer: the checksum computed inline from the bytes sent is compared with the one each
 * remote side's daemon computes from its storage, and with the user's {@code --expected} value.
 * Every mismatch names both values and which side had which.
 */
final class Verifier {
  /** A failed verification and the daemon whose block digests locate the damage. */
  record Mismatch(ChecksumMismatchException error, ImageClient reference) {}

  private final Endpoint<? extends Image> source;
  private final Endpoint<? extends WritableImage> destination;
  private final ByteRange range;

  Verifier(
      Endpoint<? extends Image> source,
      Endpoint<? extends WritableImage> destination,
      ByteRange range) {
    this.source = source;
    this.destination = destination;
    this.range = range;
  }

  /** The first side whose storage does not hold {@code inline}, if any. */
  Optional<Mismatch> verify(Checksum inline) throws IOException {
    if (source.daemon().isPresent()) {
      ImageClient daemon = source.daemon().get();
      Checksum stored = daemon.checksum(inline.type(), range);
      if (!stored.matches(inline)) {
        return Optional.of(
            mismatch(daemon, source, stored, "the source's storage", inline, "the bytes received"));
      }
    }
    if (destination.daemon().isPresent()) {
      ImageClient daemon = destination.daemon().get();
      Checksum stored = daemon.checksum(inline.type(), range);
      if (!inline.matches(stored)) {
        String from = "the source (" + source.describe() + ")";
        return Optional.of(
            mismatch(daemon, destination, inline, from, stored, "the destination's storage"));
      }
    }
    return Optional.empty();
  }

  private Mismatch mismatch(
      ImageClient reference,
      Endpoint<?> checked,
      Checksum expected,
      String expectedFrom,
      Checksum actual,
      String actualFrom) {
    return new Mismatch(
        ChecksumMismatchException.between(
            checked.describe(), range, expected, expectedFrom, actual, actualFrom),
        reference);
  }

  /**
   * The whole-stream value to verify against after a repair round, which resent blocks but could
   * not hash them in stream order: a local source's inline value still holds; a remote source's
   * storage is the truth; a local destination (a download) is hashed again, as the bytes it holds
   * are what the next round verifies.
   */
  Checksum afterRepair(Checksum inline) throws IOException {
    if (!destination.isRemote()) {
      return ChecksumEngine.withDefaultThreads()
          .compute(destination.image(), inline.type(), range, ProgressListener.NONE);
    }
    if (source.daemon().isPresent()) {
      return source.daemon().get().checksum(inline.type(), range);
    }
    return inline;
  }

  /**
   * Compares the user's value with the transfer's: the inline value when the types agree, else the
   * one a daemon computes from its storage (the destination's when it has one).
   *
   * @throws ChecksumMismatchException if they differ
   */
  void checkExpected(Checksum expected, Checksum inline) throws IOException {
    Checksum want = new Checksum(expected.type(), expected.value(), range.length());
    Checksum got;
    String where;
    if (want.type().equals(inline.type())) {
      got = inline;
      where = "the source (" + source.describe() + ")";
    } else if (destination.daemon().isPresent()) {
      got = destination.daemon().get().checksum(want.type(), range);
      where = "the destination's storage (" + destination.describe() + ")";
    } else {
      // A download: its source is remote (a daemon serves it).
      got = source.daemon().orElseThrow().checksum(want.type(), range);
      where = "the source's storage (" + source.describe() + ")";
    }
    if (!want.matches(got)) {
      throw ChecksumMismatchException.between(
          source.describe(), range, want, "--expected", got, where);
    }
  }
}
