package dev.intact.core.qcow2;

/**
 * A run of the guest disk inside one cluster that reads one way: zeros, data at {@code host} in the
 * file (the host offset of {@code start}), or a compressed cluster whose L2 entry is {@code host}.
 */
record Piece(long start, long length, Kind kind, long host) {
  enum Kind {
    /** Reads as zeros: unallocated (there is no backing file), or a zero cluster/subcluster. */
    ZERO,
    /** Stored as is at {@code host}. */
    DATA,
    /** Part of a compressed cluster; {@code host} is its L2 entry. */
    COMPRESSED
  }

  long end() {
    return start + length;
  }
}
