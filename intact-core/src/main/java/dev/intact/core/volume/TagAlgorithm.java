package dev.intact.core.volume;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a volume's block tags are computed, with the number the superblock stores for it. The id is
 * the on-disk spelling and never changes; the name is what {@code --tag} accepts.
 */
public enum TagAlgorithm {
  CRC32C(1, "crc32c", "crc32c", 4, false),
  XXH3_64(2, "xxh3-64", "xxh3-64", 8, false),
  SHA256(3, "sha256", "sha256", 32, false),
  BLAKE2B_256(4, "blake2b-256", "blake2b-256", 32, false),
  HMAC_SHA256(5, "hmac-sha256", null, 32, true);

  private final int id;
  private final String tagName;
  private final String hashName;
  private final int length;
  private final boolean keyed;

  TagAlgorithm(int id, String tagName, String hashName, int length, boolean keyed) {
    this.id = id;
    this.tagName = tagName;
    this.hashName = hashName;
    this.length = length;
    this.keyed = keyed;
  }

  /** The number stored in the superblock. */
  public int id() {
    return id;
  }

  /** The name {@code --tag} accepts and {@code info} prints. */
  public String tagName() {
    return tagName;
  }

  /** The {@link dev.intact.core.hash.Algorithms} name, or null for the keyed HMAC. */
  String hashName() {
    return hashName;
  }

  /** Tag length in bytes. */
  public int length() {
    return length;
  }

  /** Whether tags need a secret key ({@code --key-file}). */
  public boolean keyed() {
    return keyed;
  }

  /** The algorithm stored as {@code id}, or null when no algorithm has that number. */
  static TagAlgorithm byId(int id) {
    for (TagAlgorithm a : values()) {
      if (a.id == id) {
        return a;
      }
    }
    return null;
  }

  /**
   * The algorithm named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static TagAlgorithm byName(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (TagAlgorithm a : values()) {
      if (a.tagName.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown tag algorithm '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(TagAlgorithm::tagName).collect(Collectors.joining(", "))
            + ")");
  }
}
