package dev.intact.core.checksum;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.Hasher;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zeros and what hashing them gives: a shared all-zero buffer (never written), the vectorised
 * is-zero check, and caches of {@code H(zeros(blockSize))} and of that digest repeated many
 * times, which is what a run of zero blocks feeds to the outer hash.
 */
final class Zeros {
  /** Shared, read-only: every caller only reads it. */
  static final byte[] BUFFER = new byte[1 << 20];

  // Repeated digests are fed in updates of about this size: big calls keep the hash loop in its
  // intrinsic even before the JIT has warmed, small enough to stay in the L2 cache.
  private static final int REPEAT_BYTES = 256 << 10;

  private record Key(String algorithm, long length) {}

  private static final ConcurrentHashMap<Key, byte[]> DIGESTS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Key, byte[]> REPEATED = new ConcurrentHashMap<>();

  private Zeros() {}

  /** Whether {@code buf[off, off + len)} is all zero ({@code Arrays.mismatch} is an intrinsic). */
  static boolean isZero(byte[] buf, int off, int len) {
    while (len > 0) {
      int n = Math.min(len, BUFFER.length);
      if (Arrays.mismatch(buf, off, off + n, BUFFER, 0, n) >= 0) {
        return false;
      }
      off += n;
      len -= n;
    }
    return true;
  }

  /** Feeds {@code length} zero bytes to {@code hasher}. */
  static void feed(Hasher hasher, long length) {
    while (length > 0) {
      int n = (int) Math.min(length, BUFFER.length);
      hasher.update(BUFFER, 0, n);
      length -= n;
    }
  }

  /**
   * {@code H(zeros(blockSize))}, cached per algorithm and block size; do not modify the array.
   * Short tails go to {@link #digestOf} instead: their lengths are too many to cache.
   */
  static byte[] blockDigest(HashAlgorithm algorithm, int blockSize) {
    return DIGESTS.computeIfAbsent(
        new Key(algorithm.name(), blockSize), k -> digestOf(algorithm, blockSize));
  }

  /** {@code H(zeros(length))}, computed. */
  static byte[] digestOf(HashAlgorithm algorithm, long length) {
    Hasher h = algorithm.newHasher();
    feed(h, length);
    byte[] d = new byte[algorithm.digestLength()];
    h.finishInto(d, 0);
    return d;
  }

  /** {@code H(zeros(blockSize))} repeated to about 256 KiB, cached; do not modify the array. */
  static byte[] repeatedDigest(HashAlgorithm algorithm, int blockSize) {
    return REPEATED.computeIfAbsent(
        new Key(algorithm.name(), blockSize),
        k -> {
          byte[] one = blockDigest(algorithm, blockSize);
          int count = Math.max(1, REPEAT_BYTES / one.length);
          byte[] many = new byte[count * one.length];
          for (int i = 0; i < count; i++) {
            System.arraycopy(one, 0, many, i * one.length, one.length);
          }
          return many;
        });
  }
}
