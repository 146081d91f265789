package dev.intact.core.checksum;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.Hasher;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zeros and what hashing them gives: a shared all-zero buffer (never written), the vectorised
 * is-zero check, and caches of {@code H(zeros(blockSize))} and of that digest repeated many times,
 * which is what a run of zero blocks feeds to the outer hash.
 */
public final class Zeros {
  /** Shared, read-only: every caller only reads it. */
  static final byte[] BUFFER = new byte[1 << 20];

  // Repeated digests are fed in updates of about this size: big calls keep the hash loop in its
  // intrinsic even before the JIT has warmed, small enough to stay in the L2 cache.
  private static final int REPEAT_BYTES = 256 << 10;

  private record Key(String algorithm, long length) {}

  /** A zero-block digest known in advance. */
  record Known(String algorithm, int blockSize, String hex) {}

  /**
   * {@code H(zeros(blockSize))} for the default block-hash types and common variants. Hashing 4 MiB
   * of zeros before the JIT has compiled the hash costs a short process hundreds of milliseconds
   * (blake2b-256 runs interpreted at first), more than all its other work on an empty image.
   * ZerosTest recomputes every entry.
   */
  static final List<Known> KNOWN =
      List.of(
          new Known(
              "blake2b-256",
              4 << 20,
              "4b78491340f5f499c8cb365e807455b47d2c05bc362def5ab9a2505a142710f4"),
          new Known("sha1", 4 << 20, "2bccbd2f38f15c13eb7d5a89fd9d85f595e23bc3"),
          new Known(
              "sha256",
              4 << 20,
              "bb9f8df61474d25e71fa00722318cd387396ca1736605e1248821cc0de3d3af8"),
          new Known(
              "sha256",
              64 << 10,
              "de2f256064a0af797747c2b97505dc0b9f3df0de4f489eac731c23ae9ca9cc31"),
          new Known(
              "blake2b-256",
              64 << 10,
              "df2d0b4e193fce63759c790e6956d5f756861f15d6db64cc1899afa85e1627b9"));

  private static final ConcurrentHashMap<Key, byte[]> DIGESTS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Key, byte[]> REPEATED = new ConcurrentHashMap<>();

  private Zeros() {}

  /** Whether {@code buf[off, off + len)} is all zero ({@code Arrays.mismatch} is an intrinsic). */
  public static boolean isZero(byte[] buf, int off, int len) {
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
        new Key(algorithm.name(), blockSize),
        k -> {
          for (Known known : KNOWN) {
            if (known.algorithm().equals(algorithm.name()) && known.blockSize() == blockSize) {
              return HexFormat.of().parseHex(known.hex());
            }
          }
          return digestOf(algorithm, blockSize);
        });
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
