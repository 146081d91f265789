package dev.intact.spark;

import java.io.Serializable;

/**
 * One task's share of a checksum: bytes {@code [start, end)} of input number {@code file}, the
 * {@code index}-th piece of that input. A non-splittable checksum has one piece per input.
 *
 * @param size the input's size when the job was planned (a task refuses an input that changed)
 */
record Piece(int file, int index, String path, long size, long start, long end)
    implements Serializable {

  Piece {
    if (start < 0 || end < start || end > size) {
      throw new IllegalArgumentException(
          "piece [" + start + ", " + end + ") is not within " + path + " of " + size + " bytes");
    }
  }

  long length() {
    return end - start;
  }
}
