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
 * <p>Table slicing by sixteen, the input read as big-endian longs (most significant bit first).
 */
final class PosixCksum implements HashAlgorithm {
  private static final int POLY = 0x04C11DB7;
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  // T0[n]: register after byte n; Tk[n]: T0[n] followed by k zero bytes (see Crc64Ecma).
  private static final int[][] TABLES = tables();
  private static final int[] T0 = TABLES[0];
  private static final int[] T1 = TABLES[1];
  private static final int[] T2 = TABLES[2];
  private static final int[] T3 = TABLES[3];
  private static final int[] T4 = TABLES[4];
  private static final int[] T5 = TABLES[5];
  private static final int[] T6 = TABLES[6];
  private static final int[] T7 = TABLES[7];
  private static final int[] T8 = TABLES[8];
  private static final int[] T9 = TABLES[9];
  private static final int[] T10 = TABLES[10];
  private static final int[] T11 = TABLES[11];
  private static final int[] T12 = TABLES[12];
  private static final int[] T13 = TABLES[13];
  private static final int[] T14 = TABLES[14];
  private static final int[] T15 = TABLES[15];

  private static int[][] tables() {
    int[][] t = new int[16][256];
    for (int n = 0; n < 256; n++) {
      int c = n << 24;
      for (int bit = 0; bit < 8; bit++) {
        c = c < 0 ? (c << 1) ^ POLY : c << 1;
      }
      t[0][n] = c;
    }
    for (int k = 1; k < t.length; k++) {
      for (int n = 0; n < 256; n++) {
        int prev = t[k - 1][n];
        t[k][n] = (prev << 8) ^ t[0][prev >>> 24];
      }
    }
    return t;
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

  private static int update(int crc, byte[] in, int offset, int length) {
    int i = offset;
    int end = offset + length;
    for (; end - i >= 16; i += 16) {
      long x = (long) BIG_ENDIAN_LONG.get(in, i);
      long y = (long) BIG_ENDIAN_LONG.get(in, i + 8);
      int a = crc ^ (int) (x >>> 32);
      int b = (int) x;
      int c = (int) (y >>> 32);
      int d = (int) y;
      crc =
          T15[a >>> 24]
              ^ T14[(a >>> 16) & 0xff]
              ^ T13[(a >>> 8) & 0xff]
              ^ T12[a & 0xff]
              ^ T11[b >>> 24]
              ^ T10[(b >>> 16) & 0xff]
              ^ T9[(b >>> 8) & 0xff]
              ^ T8[b & 0xff]
              ^ T7[c >>> 24]
              ^ T6[(c >>> 16) & 0xff]
              ^ T5[(c >>> 8) & 0xff]
              ^ T4[c & 0xff]
              ^ T3[d >>> 24]
              ^ T2[(d >>> 16) & 0xff]
              ^ T1[(d >>> 8) & 0xff]
              ^ T0[d & 0xff];
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
