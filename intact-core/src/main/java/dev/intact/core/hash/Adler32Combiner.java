package dev.intact.core.hash;

/**
 * zlib's {@code adler32_combine}: the two running sums of the first piece are carried over the
 * second's length modulo 65521.
 */
final class Adler32Combiner implements Combiner {
  private static final long BASE = 65521;

  @Override
  public HashCode combine(HashCode first, HashCode second, long secondLength) {
    if (secondLength < 0) {
      throw new IllegalArgumentException("length must not be negative, not " + secondLength);
    }
    long adler1 = value(first);
    long adler2 = value(second);
    long rem = secondLength % BASE;
    long sum1 = adler1 & 0xffff;
    long sum2 = (rem * sum1) % BASE;
    sum1 += (adler2 & 0xffff) + BASE - 1;
    sum2 += ((adler1 >>> 16) & 0xffff) + ((adler2 >>> 16) & 0xffff) + BASE - rem;
    if (sum1 >= BASE) {
      sum1 -= BASE;
    }
    if (sum1 >= BASE) {
      sum1 -= BASE;
    }
    if (sum2 >= BASE << 1) {
      sum2 -= BASE << 1;
    }
    if (sum2 >= BASE) {
      sum2 -= BASE;
    }
    return HashCode.ofLong(sum1 | (sum2 << 16), 4);
  }

  private static long value(HashCode code) {
    if (code.length() != 4) {
      throw new IllegalArgumentException("an adler32 value is 4 bytes, not " + code.length());
    }
    long v = 0;
    for (byte b : code.toBytes()) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }
}
