package dev.intact.core.checksum;

import dev.intact.core.hash.HashCode;

/**
 * A computed checksum: what it is, its value, and how many bytes it covers. Comparing checksums of
 * different types is an error, never a mismatch ({@link #matches}).
 */
public record Checksum(ChecksumType type, HashCode value, long size) {

  public Checksum {
    if (value.length() != type.digestLength()) {
      throw new IllegalArgumentException(
          type.name() + " values are " + type.digestLength() + " bytes, not " + value.length());
    }
  }

  /**
   * Whether the two checksums have the same value.
   *
   * @throws IllegalArgumentException if their types differ (the values are not comparable)
   */
  public boolean matches(Checksum other) {
    if (!type.equals(other.type)) {
      throw new IllegalArgumentException(
          "cannot compare a "
              + describe(type)
              + " checksum with a "
              + describe(other.type)
              + " one");
    }
    return value.equals(other.value);
  }

  private static String describe(ChecksumType t) {
    return t instanceof BlockHashList b ? b.name() + "/" + b.blockSize() : t.name();
  }
}
