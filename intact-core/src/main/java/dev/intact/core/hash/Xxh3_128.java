package dev.intact.core.hash;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * XXH3-128, seed 0, from hash4j's streaming API. Printed as {@code xxhsum -H128} prints it: the
 * canonical big-endian form, high 64 bits first.
 */
final class Xxh3_128 implements HashAlgorithm {
  @Override
  public String name() {
    return "xxh3-128";
  }

  @Override
  public List<String> aliases() {
    return List.of("xxh128");
  }

  @Override
  public int digestLength() {
    return 16;
  }

  @Override
  public Hasher newHasher() {
    return new StreamHasher(Hashing.xxh3_128().hashStream());
  }

  private static final class StreamHasher implements Hasher {
    private static final VarHandle BIG_ENDIAN_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final HashStream128 stream;

    StreamHasher(HashStream128 stream) {
      this.stream = stream;
    }

    @Override
    public Hasher update(byte[] input, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, input.length);
      stream.putBytes(input, offset, length);
      return this;
    }

    @Override
    public void finishInto(byte[] out, int offset) {
      Objects.checkFromIndexSize(offset, 16, out.length);
      HashValue128 value = stream.get();
      BIG_ENDIAN_LONG.set(out, offset, value.getMostSignificantBits());
      BIG_ENDIAN_LONG.set(out, offset + 8, value.getLeastSignificantBits());
      stream.reset();
    }

    @Override
    public HashCode finish() {
      byte[] out = new byte[16];
      finishInto(out, 0);
      return HashCode.of(out);
    }
  }
}
