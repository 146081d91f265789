package dev.intact.cli;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import java.util.Comparator;
import java.util.List;

/** Which algorithms a digest of a given length could be, the coreutils ones first. */
final class AlgorithmHints {
  /** The tools whose sum files users meet most, first: sha256sum's before sha3's. */
  private static final List<String> PREFERRED =
      List.of("sha256", "md5", "sha1", "sha512", "blake2b-512", "blake3", "xxh64", "xxh3-128");

  private AlgorithmHints() {}

  /** The whole-stream algorithms with {@code bytes}-byte digests, most likely first. */
  static List<String> byDigestLength(int bytes) {
    return Algorithms.all().stream()
        .filter(a -> a.digestLength() == bytes)
        .map(HashAlgorithm::name)
        .sorted(Comparator.comparingInt(AlgorithmHints::rank))
        .toList();
  }

  private static int rank(String name) {
    int i = PREFERRED.indexOf(name);
    return i < 0 ? PREFERRED.size() : i;
  }
}
