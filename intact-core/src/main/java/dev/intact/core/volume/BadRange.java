package dev.intact.core.volume;

import dev.intact.core.image.ByteRange;

/**
 * A run of consecutive bad blocks {@code [first, last]}, with the bytes they cover and the first
 * block's mismatch.
 */
public record BadRange(long first, long last, ByteRange bytes, Mismatch firstMismatch) {
  public long blocks() {
    return last - first + 1;
  }
}
