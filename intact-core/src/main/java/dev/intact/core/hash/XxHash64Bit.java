package dev.intact.core.hash;

import com.dynatrace.hash4j.hashing.HashStream64;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A 64-bit xxHash (XXH64 or XXH3-64, seed 0) from hash4j's streaming API: inputs arrive in chunks,
 * and hash4j reads arrays through VarHandles, so no {@code sun.misc.Unsafe} warning reaches users.
 * The value prints as {@code xxhsum} prints it: big-endian hex.
 */
record XxHash64Bit(String name, List<String> aliases, Supplier<HashStream64> streams)
    implements HashAlgorithm {

  XxHash64Bit {
    aliases = List.copyOf(aliases);
  }

  @Override
  public int digestLength() {
    return 8;
  }

  @Override
  public Hasher newHasher() {
    return new StreamHasher(streams.get());
  }

  private static final class StreamHasher implements Hasher {
    private static final VarHandle BIG_ENDIAN_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final HashStream64 stream;

    StreamHasher(HashStream64 stream) {
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
      BIG_ENDIAN_LONG.set(out, offset, stream.getAsLong());
      stream.reset();
    }

    @Override
    public HashCode finish() {
      HashCode value = HashCode.ofLong(stream.getAsLong(), 8);
      stream.reset();
      return value;
    }
  }
}
