package dev.intact.core.volume;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A volume's superblock: what it is (UUID, geometry, tag algorithm) and its state (generation,
 * journal epoch, counters). Two copies are kept; the valid one with the higher generation wins, and
 * every update writes the other copy, so a torn superblock write leaves the previous one.
 *
 * @param generation increases with every superblock write
 * @param journalEpoch journal records of other epochs are stale; a checkpoint starts a new one
 * @param mismatches tag mismatches seen while serving, as of the last superblock write
 * @param lastScrubSeconds when the last full scrub finished (epoch seconds), 0 for never
 * @param lastScrubBad how many bad blocks it found
 * @param keyCheck HMAC of a label and the UUID under the key, so a wrong key is named as such
 */
@SuppressWarnings(
    "ArrayRecordComponent") // the accessors, equals and hashCode copy and compare contents
public record Superblock(
    int version,
    byte[] uuid,
    Geometry geometry,
    TagAlgorithm algorithm,
    int flags,
    long generation,
    long journalEpoch,
    long mismatches,
    long lastScrubSeconds,
    long lastScrubBad,
    byte[] keyCheck) {
  /** The version this code creates: 4, a chunk map and REMAP records. */
  public static final int VERSION = 4;

  /**
   * The newest version without a chunk map: 3, HOME records of up to 4,096 blocks. A version-3
   * volume stays version 3 (its data area has no room for spare chunks); version 2 is upgraded to
   * it.
   */
  public static final int UNMAPPED = 3;

  /**
   * The oldest version it reads: 2, whose records are all within version 3's bounds. A writable
   * open upgrades it to 3 before writing a record version 2 would refuse.
   */
  public static final int OLDEST_READABLE = 2;

  public Superblock {
    uuid = uuid.clone();
    keyCheck = keyCheck.clone();
    if (uuid.length != 16 || keyCheck.length != 16) {
      throw new IllegalArgumentException("UUID and key check have 16 bytes");
    }
    if (geometry.entrySize() != algorithm.length() + 1) {
      throw new IllegalArgumentException("tag entry size does not fit " + algorithm.tagName());
    }
    if (geometry.remaps() != (version >= VERSION)) {
      throw new IllegalArgumentException(
          "format version "
              + version
              + (geometry.remaps() ? " has no" : " needs a")
              + " chunk map");
    }
    Objects.requireNonNull(algorithm);
  }

  @Override
  public byte[] uuid() {
    return uuid.clone();
  }

  @Override
  public byte[] keyCheck() {
    return keyCheck.clone();
  }

  public String uuidString() {
    String h = HexFormat.of().formatHex(uuid);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-"
        + h.substring(12, 16)
        + "-"
        + h.substring(16, 20)
        + "-"
        + h.substring(20);
  }

  Superblock next(long epoch, long mismatchCount) {
    return new Superblock(
        version,
        uuid,
        geometry,
        algorithm,
        flags,
        generation + 1,
        epoch,
        mismatchCount,
        lastScrubSeconds,
        lastScrubBad,
        keyCheck);
  }

  /** The same version-2 superblock as version 3, one generation on. */
  Superblock upgraded() {
    return new Superblock(
        UNMAPPED,
        uuid,
        geometry,
        algorithm,
        flags,
        generation + 1,
        journalEpoch,
        mismatches,
        lastScrubSeconds,
        lastScrubBad,
        keyCheck);
  }

  Superblock withScrub(long seconds, long bad) {
    return new Superblock(
        version,
        uuid,
        geometry,
        algorithm,
        flags,
        generation + 1,
        journalEpoch,
        mismatches,
        seconds,
        bad,
        keyCheck);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Superblock s
        && version == s.version
        && Arrays.equals(uuid, s.uuid)
        && geometry.equals(s.geometry)
        && algorithm == s.algorithm
        && flags == s.flags
        && generation == s.generation
        && journalEpoch == s.journalEpoch
        && mismatches == s.mismatches
        && lastScrubSeconds == s.lastScrubSeconds
        && lastScrubBad == s.lastScrubBad
        && Arrays.equals(keyCheck, s.keyCheck);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(uuid), geometry, generation, journalEpoch);
  }

  @Override
  public String toString() {
    return "Superblock[" + uuidString() + ", " + geometry + ", " + algorithm.tagName() + "]";
  }
}
