package dev.intact.core.volume;

/**
 * A block's state in the open journal epoch, newer than its tag entry: its data at {@code dataAt}
 * (in the journal, or at home for a HOME write) with {@code tag}, or zeroed ({@code dataAt} < 0).
 */
@SuppressWarnings("ArrayRecordComponent") // package-private; the tag array is never changed
record Pending(long dataAt, byte[] tag) {
  /** The state of a block in a zeroed run. */
  static final Pending ZEROED = new Pending(-1, null);

  boolean zero() {
    return dataAt < 0;
  }
}
