package dev.intact.spark;

import dev.intact.core.checksum.Checksum;

/**
 * The result of {@code sum} for one input: its checksum, or why there is none.
 *
 * @param file the input as named (an argument, or a file found under a directory argument)
 * @param checksum the value; null when {@code error} says why there is none
 * @param error one line starting with the file's name; null when there is a checksum
 */
public record FileSum(String file, long size, String mtime, Checksum checksum, String error) {

  public boolean failed() {
    return checksum == null;
  }

  ResultRow row() {
    return checksum == null
        ? new ResultRow(file, size, mtime, null, null, null, "ERROR", error)
        : new ResultRow(
            file, size, mtime, checksum.type().name(), null, checksum.value().toHex(), "OK", null);
  }
}
