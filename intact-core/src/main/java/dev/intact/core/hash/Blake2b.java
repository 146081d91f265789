package dev.intact.core.hash;

import java.util.List;

/**
 * BLAKE2b (RFC 7693), unkeyed, with the digest length set in the parameter block: blake2b-256 is
 * {@code b2sum -l 256}, not blake2b-512 truncated.
 */
record Blake2b(String name, List<String> aliases, int digestLength) implements HashAlgorithm {

  Blake2b {
    aliases = List.copyOf(aliases);
    if (digestLength < 1 || digestLength > 64) {
      throw new IllegalArgumentException(
          "BLAKE2b digest length must be 1..64 bytes, not " + digestLength);
    }
  }

  @Override
  public Hasher newHasher() {
    return new Blake2bHasher(digestLength);
  }
}
