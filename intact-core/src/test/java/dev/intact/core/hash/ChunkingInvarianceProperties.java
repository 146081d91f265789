package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every algorithm gives the same value however its input is split across updates (single bytes, odd
 * sizes, block boundaries, array / heap buffer / direct buffer), and finishing resets it.
 */
class ChunkingInvarianceProperties {

  @Provide
  Arbitrary<HashAlgorithm> algorithms() {
    return Arbitraries.of(Algorithms.all());
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 300),
        Arbitraries.integers().between(300, 70_000),
        Arbitraries.integers().between(70_000, (1 << 20) + 7));
  }

  @Property(tries = 150)
  void valueDoesNotDependOnHowTheInputIsSplit(
      @ForAll("algorithms") HashAlgorithm algorithm, @ForAll("sizes") int size, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] data = randomBytes(random, size);
    HashCode whole = algorithm.hash(data);

    Hasher hasher = algorithm.newHasher();
    int offset = 0;
    while (offset < size) {
      int n = nextChunk(random, size - offset);
      switch (random.nextInt(4)) {
        case 0 -> hasher.update(data, offset, n);
        case 1 -> updateFromHeapBuffer(hasher, data, offset, n);
        case 2 -> updateFromDirectBuffer(hasher, data, offset, n);
        default -> {
          byte[] copy = new byte[n];
          System.arraycopy(data, offset, copy, 0, n);
          hasher.update(copy);
        }
      }
      offset += n;
    }
    assertThat(hasher.finish()).as("%s over %d bytes", algorithm.name(), size).isEqualTo(whole);

    // finish() reset the state: the same hasher computes the next value from scratch.
    hasher.update(data, 0, size);
    assertThat(hasher.finish()).as("%s reused after finish()", algorithm.name()).isEqualTo(whole);
  }

  @Property(tries = 60)
  void finishIntoWritesTheValueAtTheOffsetAndResets(
      @ForAll("algorithms") HashAlgorithm algorithm, @ForAll("sizes") int size, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] first = randomBytes(random, size);
    byte[] second = randomBytes(random, random.nextInt(1000));
    int length = algorithm.digestLength();
    byte[] out = new byte[3 + 2 * length + 5];
    out[0] = 42;
    out[out.length - 1] = 43;

    Hasher hasher = algorithm.newHasher();
    hasher.update(first);
    hasher.finishInto(out, 3);
    hasher.update(second);
    hasher.finishInto(out, 3 + length);

    byte[] expected = new byte[2 * length];
    System.arraycopy(algorithm.hash(first).toBytes(), 0, expected, 0, length);
    System.arraycopy(algorithm.hash(second).toBytes(), 0, expected, length, length);
    byte[] written = new byte[2 * length];
    System.arraycopy(out, 3, written, 0, 2 * length);
    assertThat(written).as(algorithm.name()).isEqualTo(expected);
    assertThat(out[0]).isEqualTo((byte) 42);
    assertThat(out[out.length - 1]).isEqualTo((byte) 43);
  }

  /** Mostly small and boundary-sized chunks, sometimes one byte, sometimes a large run. */
  private static int nextChunk(SplittableRandom random, int remaining) {
    int n =
        switch (random.nextInt(5)) {
          case 0 -> 1;
          case 1 -> 1 + random.nextInt(300);
          case 2 -> {
            int[] boundaries = {31, 32, 33, 63, 64, 65, 127, 128, 129, 1023, 1024, 1025, 4096};
            yield boundaries[random.nextInt(boundaries.length)];
          }
          case 3 -> 1 + random.nextInt(70_000);
          default -> 1 + random.nextInt(remaining);
        };
    return Math.min(n, remaining);
  }

  private static void updateFromHeapBuffer(Hasher hasher, byte[] data, int offset, int n) {
    // A slice of a larger array: arrayOffset and position are both non-zero.
    byte[] backing = new byte[n + 17];
    System.arraycopy(data, offset, backing, 11, n);
    ByteBuffer buffer = ByteBuffer.wrap(backing, 5, n + 10).slice();
    buffer.position(6).limit(6 + n);
    hasher.update(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
  }

  private static void updateFromDirectBuffer(Hasher hasher, byte[] data, int offset, int n) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(n + 3);
    buffer.position(3);
    buffer.put(data, offset, n);
    buffer.position(3);
    hasher.update(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
  }

  private static byte[] randomBytes(SplittableRandom random, int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return data;
  }
}
