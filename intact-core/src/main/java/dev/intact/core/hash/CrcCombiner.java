package dev.intact.core.hash;

/**
 * The combine operation of a CRC of width 32 or 64, reflected or not, whose initial value equals
 * its final XOR (all ones for crc32, crc32c and crc64-xz; zero for crc64/ECMA): then {@code
 * crc(A||B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B)}, the identity zlib's {@code crc32_combine} uses. The
 * arithmetic is zlib's ({@code multmodp}, {@code x2nmodp}), in GF(2) polynomials stored reflected
 * (the coefficient of x^0 in the top bit); a CRC that is not reflected is bit-reversed in and out.
 */
final class CrcCombiner implements Combiner {
  private final int width;
  private final long mask;
  private final long reflectedPoly;
  private final boolean reflected;

  /** x^(2^k) mod P for k = 0..63: the powers that {@link #xPow8n} multiplies together. */
  private final long[] x2n = new long[64];

  /**
   * @param width 32 or 64
   * @param reflectedPoly the polynomial in reflected form (0xEDB88320 for crc32)
   * @param reflected whether the CRC itself is reflected (consumes bytes LSB first)
   */
  CrcCombiner(int width, long reflectedPoly, boolean reflected) {
    if (width != 32 && width != 64) {
      throw new IllegalArgumentException("CRC width must be 32 or 64, not " + width);
    }
    this.width = width;
    this.mask = width == 64 ? -1L : (1L << width) - 1;
    this.reflectedPoly = reflectedPoly;
    this.reflected = reflected;
    long p = 1L << (width - 2); // x^1
    x2n[0] = p;
    for (int k = 1; k < x2n.length; k++) {
      p = multModP(p, p);
      x2n[k] = p;
    }
  }

  @Override
  public HashCode combine(HashCode first, HashCode second, long secondLength) {
    if (secondLength < 0) {
      throw new IllegalArgumentException("length must not be negative, not " + secondLength);
    }
    long a = toRegister(first);
    long b = toRegister(second);
    long combined = multModP(xPow8n(secondLength), a) ^ b;
    return HashCode.ofLong(reflected ? combined : reverse(combined), width / 8);
  }

  private long toRegister(HashCode value) {
    if (value.length() != width / 8) {
      throw new IllegalArgumentException(
          "a " + width + "-bit CRC value is " + width / 8 + " bytes, not " + value.length());
    }
    long v = 0;
    for (byte b : value.toBytes()) {
      v = (v << 8) | (b & 0xff);
    }
    return reflected ? v : reverse(v);
  }

  private long reverse(long v) {
    return Long.reverse(v) >>> (64 - width);
  }

  /** a·b mod P (zlib's multmodp), reflected polynomials of this width. */
  private long multModP(long a, long b) {
    long m = 1L << (width - 1);
    long p = 0;
    while (true) {
      if ((a & m) != 0) {
        p ^= b;
        if ((a & (m - 1)) == 0) {
          break;
        }
      }
      m >>>= 1;
      if (m == 0) {
        break; // a was zero
      }
      b = (b & 1) != 0 ? (b >>> 1) ^ reflectedPoly : b >>> 1;
    }
    return p & mask;
  }

  /** x^(8·n) mod P (zlib's x2nmodp(n, 3)): n's bits pick powers x^(2^(k+3)). */
  private long xPow8n(long n) {
    long p = 1L << (width - 1); // x^0
    int k = 3;
    while (n != 0) {
      if ((n & 1) != 0) {
        p = multModP(x2n[k & 63], p);
      }
      n >>>= 1;
      k++;
    }
    return p;
  }
}
