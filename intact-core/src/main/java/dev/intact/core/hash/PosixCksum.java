package dev.intact.core.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * POSIX {@code cksum}: CRC-32/CKSUM (polynomial 0x04C11DB7, NOT reflected, init 0) over the data
 * followed by its length in as few bytes as it takes, least significant first, then complemented.
 * The value is the first number {@code cksum} prints, as 8 hex digits ("123456789" gives {@code
 * 377a6011}, empty input {@code ffffffff}). XRootD calls this "crc32"; Intact does not.
 *
 * <p>Table slicing by eight, the input read as big-endian longs (most significant bit first).
 */
final class PosixCksum implements HashAlgorithm {
  private static final int POLY = 0x04C11DB7;
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  // T0[n]: register after byte n; Tk[n]: T0[n] followed by k zero bytes (see Crc64Ecma).
  private static final int[] T0 = new int[256];
  private static final int[] T1 = new int[256];
  private static final int[] T2 = new int[256];
  private static final int[] T3 = new int[256];
  private static final int[] T4 = new int[256];
  private static final int[] T5 = new int[256];
  private static final int[] T6 = new int[256];
  private static final int[] T7 = new int[256];

  static {
    int[][] tables = {T0, T1, T2, T3, T4, T5, T6, T7};
    for (int n = 0; n < 256; n++) {
      int c = n << 24;
      for (int bit = 0; bit < 8; bit++) {
        c = c < 0 ? (c << 1) ^ POLY : c << 1;
      }
      T0[n] = c;
    }
    for (int k = 1; k < tables.length; k++) {
      for (int n = 0; n < 256; n++) {
        int prev = tables[k - 1][n];
        tables[k][n] = (prev << 8) ^ T0[prev >>> 24];
      }
    }
  }

  @Override
  public String name() {
    return "cksum";
  }

  @Override
  public List<String> aliases() {
    return List.of();
  }

  @Override
  public int digestLength() {
    return 4;
  }

  @Override
  public Hasher newHasher() {
    return new CksumHasher();
  }

  static int update(int crc, byte[] in, int offset, int length) {
    int i = offset;
    int end = offset + length;
    for (; end - i >= 8; i += 8) {
      long x = (long) BIG_ENDIAN_LONG.get(in, i);
      int hi = crc ^ (int) (x >>> 32);
      int lo = (int) x;
      crc =
          T7[hi >>> 24]
              ^ T6[(hi >>> 16) & 0xff]
              ^ T5[(hi >>> 8) & 0xff]
              ^ T4[hi & 0xff]
              ^ T3[lo >>> 24]
              ^ T2[(lo >>> 16) & 0xff]
              ^ T1[(lo >>> 8) & 0xff]
              ^ T0[lo & 0xff];
    }
    for (; i < end; i++) {
      crc = (crc << 8) ^ T0[((crc >>> 24) ^ in[i]) & 0xff];
    }
    return crc;
  }

  private static final class CksumHasher implements Hasher {
    private int crc;
    private long length;

    @Override
    public Hasher update(byte[] input, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, input.length);
      crc = PosixCksum.update(crc, input, offset, length);
      this.length += length;
      return this;
    }

    private int finishValue() {
      int c = crc;
      for (long n = length; n != 0; n >>>= 8) {
        c = (c << 8) ^ T0[((c >>> 24) ^ (int) n) & 0xff];
      }
      crc = 0;
      length = 0;
      return ~c;
    }

    @Override
    public void finishInto(byte[] out, int offset) {
      int v = finishValue();
      out[offset] = (byte) (v >>> 24);
      out[offset + 1] = (byte) (v >>> 16);
      out[offset + 2] = (byte) (v >>> 8);
      out[offset + 3] = (byte) v;
    }

    @Override
    public HashCode finish() {
      return HashCode.ofLong(finishValue() & 0xFFFFFFFFL, 4);
    }
  }
}
