package dev.intact.core.hash;

import java.util.Map;
import java.util.Optional;

/**
 * The algorithms whose values combine ({@link Combiner}): adler32 and the CRCs. Hashes (sha256,
 * BLAKE, xxHash) and POSIX cksum (its length suffix) do not; their input is hashed in one piece.
 */
public final class Combiners {
  private static final Map<String, Combiner> BY_NAME =
      Map.of(
          "adler32", new Adler32Combiner(),
          "crc32", new CrcCombiner(32, 0xEDB88320L, true),
          "crc32c", new CrcCombiner(32, 0x82F63B78L, true),
          "crc64", new CrcCombiner(64, Long.reverse(0x42F0E1EBA9EA3693L), false),
          "crc64-xz", new CrcCombiner(64, 0xC96C5795D7870F42L, true));

  private Combiners() {}

  /** The combine operation of {@code algorithm}, if its values combine. */
  public static Optional<Combiner> of(HashAlgorithm algorithm) {
    return Optional.ofNullable(BY_NAME.get(algorithm.name()));
  }
}
