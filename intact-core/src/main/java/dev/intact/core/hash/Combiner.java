package dev.intact.core.hash;

/**
 * Joins the values of two adjacent pieces of an input into the value of the whole, without the
 * bytes: what zlib's {@code crc32_combine} and {@code adler32_combine} do. It lets a checksum of a
 * huge input be computed as ranges on many machines and combined in order on one.
 *
 * <p>Stateless and thread-safe.
 */
public interface Combiner {

  /**
   * The value of {@code first}'s input followed by {@code second}'s input, which is {@code
   * secondLength} bytes long.
   *
   * @throws IllegalArgumentException if a value has the wrong length or the length is negative
   */
  HashCode combine(HashCode first, HashCode second, long secondLength);
}
