package dev.intact.core.flash;

/** A range that could not be verified on the destination, and why. */
public record RangeFailure(FlashRange range, String reason) {

  @Override
  public String toString() {
    return range.describe() + ": " + reason;
  }
}
