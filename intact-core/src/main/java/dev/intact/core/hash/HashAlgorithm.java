package dev.intact.core.hash;

import java.util.List;

/**
 * A whole-stream checksum algorithm: a stateless, thread-safe factory of {@link Hasher}s.
 *
 * <p>Kept separate from the running state ({@link Hasher}) and the result ({@link HashCode}) so one
 * algorithm object can be shared by many workers, as Guava's {@code HashFunction} is.
 */
public interface HashAlgorithm {

  /** Canonical name, as printed and as accepted by {@link Algorithms#byName}. */
  String name();

  /** Other names accepted on input (for example {@code adler} for adler32). */
  List<String> aliases();

  /** Length of the value in bytes. */
  int digestLength();

  /**
   * Parses a value of this algorithm from its text form: hex, upper or lower case, {@code
   * digestLength} bytes (a few algorithms also accept values missing their leading zeros).
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  default HashCode parse(String text) {
    return HashCode.parse(text, digestLength(), false);
  }

  /** A fresh running state. */
  Hasher newHasher();

  /** Convenience for small inputs and tests. */
  default HashCode hash(byte[] data) {
    return newHasher().update(data, 0, data.length).finish();
  }
}
