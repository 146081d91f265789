package dev.intact.core.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * CRC-64/ECMA-182 as EOS computes it: polynomial 0x42F0E1EBA9EA3693, NOT reflected, init 0,
 * xorout 0 ("123456789" gives {@code 6c40df5f0b497347}).
 *
 * <p>Java offers no carry-less multiply, so the kernel is table slicing: eight tables, eight input
 * bytes per step, the bytes read as one big-endian long (most significant bit first, as the CRC
 * consumes them).
 */
final class Crc64Ecma implements HashAlgorithm {
  private static final long POLY = 0x42F0E1EBA9EA3693L;
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  // T0[n] is the CRC register after shifting byte n through it; Tk[n] is T0[n] followed by k zero
  // bytes. Separate static final arrays of 256 let C2 drop the bounds checks on the masked index.
  private static final long[] T0 = new long[256];
  private static final long[] T1 = new long[256];
  private static final long[] T2 = new long[256];
  private static final long[] T3 = new long[256];
  private static final long[] T4 = new long[256];
  private static final long[] T5 = new long[256];
  private static final long[] T6 = new long[256];
  private static final long[] T7 = new long[256];

  static {
    long[][] tables = {T0, T1, T2, T3, T4, T5, T6, T7};
    for (int n = 0; n < 256; n++) {
      long c = (long) n << 56;
      for (int bit = 0; bit < 8; bit++) {
        c = c < 0 ? (c << 1) ^ POLY : c << 1;
      }
      T0[n] = c;
    }
    for (int k = 1; k < tables.length; k++) {
      for (int n = 0; n < 256; n++) {
        long prev = tables[k - 1][n];
        tables[k][n] = (prev << 8) ^ T0[(int) (prev >>> 56)];
      }
    }
  }

  @Override
  public String name() {
    return "crc64";
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

  static long update(long crc, byte[] in, int offset, int length) {
    int i = offset;
    int end = offset + length;
    for (; end - i >= 8; i += 8) {
      long x = crc ^ (long) BIG_ENDIAN_LONG.get(in, i);
      crc =
          T7[(int) (x >>> 56)]
              ^ T6[(int) (x >>> 48) & 0xff]
              ^ T5[(int) (x >>> 40) & 0xff]
              ^ T4[(int) (x >>> 32) & 0xff]
              ^ T3[(int) (x >>> 24) & 0xff]
              ^ T2[(int) (x >>> 16) & 0xff]
              ^ T1[(int) (x >>> 8) & 0xff]
              ^ T0[(int) x & 0xff];
    }
    for (; i < end; i++) {
      crc = (crc << 8) ^ T0[((int) (crc >>> 56) ^ in[i]) & 0xff];
    }
    return crc;
  }

  private static final class CrcHasher implements Hasher {
    private long crc;

    @Override
    public Hasher update(byte[] input, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, input.length);
      crc = Crc64Ecma.update(crc, input, offset, length);
      return this;
    }

    @Override
    public void finishInto(byte[] out, int offset) {
      BIG_ENDIAN_LONG.set(out, offset, crc);
      crc = 0;
    }

    @Override
    public HashCode finish() {
      HashCode value = HashCode.ofLong(crc, 8);
      crc = 0;
      return value;
    }
  }
}
