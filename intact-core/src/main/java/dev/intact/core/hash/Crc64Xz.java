package dev.intact.core.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * CRC-64/XZ: the ECMA-182 polynomial reflected (0xC96C5795D7870F42), init and xorout all ones; the
 * check {@code xz} stores and Go's {@code crc64.ECMA} table computes ("123456789" gives {@code
 * 995dc9bbdf1939fa}).
 *
 * <p>Table slicing by sixteen, the input read as little-endian longs (least significant bit first,
 * as a reflected CRC consumes it).
 */
final class Crc64Xz implements HashAlgorithm {
  private static final long REFLECTED_POLY = 0xC96C5795D7870F42L;
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  // T0[n]: register after byte n; Tk[n]: T0[n] followed by k zero bytes (see Crc64Ecma).
  private static final long[][] TABLES = tables();
  private static final long[] T0 = TABLES[0];
  private static final long[] T1 = TABLES[1];
  private static final long[] T2 = TABLES[2];
  private static final long[] T3 = TABLES[3];
  private static final long[] T4 = TABLES[4];
  private static final long[] T5 = TABLES[5];
  private static final long[] T6 = TABLES[6];
  private static final long[] T7 = TABLES[7];
  private static final long[] T8 = TABLES[8];
  private static final long[] T9 = TABLES[9];
  private static final long[] T10 = TABLES[10];
  private static final long[] T11 = TABLES[11];
  private static final long[] T12 = TABLES[12];
  private static final long[] T13 = TABLES[13];
  private static final long[] T14 = TABLES[14];
  private static final long[] T15 = TABLES[15];

  private static long[][] tables() {
    long[][] t = new long[16][256];
    for (int n = 0; n < 256; n++) {
      long c = n;
      for (int bit = 0; bit < 8; bit++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ REFLECTED_POLY : c >>> 1;
      }
      t[0][n] = c;
    }
    for (int k = 1; k < t.length; k++) {
      for (int n = 0; n < 256; n++) {
        long prev = t[k - 1][n];
        t[k][n] = (prev >>> 8) ^ t[0][(int) prev & 0xff];
      }
    }
    return t;
  }

  @Override
  public String name() {
    return "crc64-xz";
  }

  @Override
  public List<String> aliases() {
    return List.of();
  }

  @Override
  public int digestLength() {
    return 8;
  }

  @Override
  public Hasher newHasher() {
    return new CrcHasher();
  }

  /** Advances the raw (not yet complemented) register over the input. */
  private static long update(long crc, byte[] in, int offset, int length) {
    int i = offset;
    int end = offset + length;
    for (; end - i >= 16; i += 16) {
      long x = crc ^ (long) LITTLE_ENDIAN_LONG.get(in, i);
      long y = (long) LITTLE_ENDIAN_LONG.get(in, i + 8);
      crc =
          T15[(int) x & 0xff]
              ^ T14[(int) (x >>> 8) & 0xff]
              ^ T13[(int) (x >>> 16) & 0xff]
              ^ T12[(int) (x >>> 24) & 0xff]
              ^ T11[(int) (x >>> 32) & 0xff]
              ^ T10[(int) (x >>> 40) & 0xff]
              ^ T9[(int) (x >>> 48) & 0xff]
              ^ T8[(int) (x >>> 56) & 0xff]
              ^ T7[(int) y & 0xff]
              ^ T6[(int) (y >>> 8) & 0xff]
              ^ T5[(int) (y >>> 16) & 0xff]
              ^ T4[(int) (y >>> 24) & 0xff]
              ^ T3[(int) (y >>> 32) & 0xff]
              ^ T2[(int) (y >>> 40) & 0xff]
              ^ T1[(int) (y >>> 48) & 0xff]
              ^ T0[(int) (y >>> 56) & 0xff];
    }
    for (; i < end; i++) {
      crc = (crc >>> 8) ^ T0[((int) crc ^ in[i]) & 0xff];
    }
    return crc;
  }

  private static final class CrcHasher implements Hasher {
    private long crc = -1L;

    @Override
    public Hasher update(byte[] input, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, input.length);
      crc = Crc64Xz.update(crc, input, offset, length);
      return this;
    }

    @Override
    public void finishInto(byte[] out, int offset) {
      BIG_ENDIAN_LONG.set(out, offset, ~crc);
      crc = -1L;
    }

    @Override
    public HashCode finish() {
      HashCode value = HashCode.ofLong(~crc, 8);
      crc = -1L;
      return value;
    }
  }
}
