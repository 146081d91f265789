package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The libxxhash kernel behind xxh3-64 is really used on a machine with {@code libxxhash0}, and
 * gives hash4j's values for every size and split (KnownVectorsTest and ToolCrossCheckTest check
 * both against the official vectors and {@code xxhsum} through {@link Algorithms}).
 */
class NativeXxh3Test {
  private final Xxh3_64 xxh3 = (Xxh3_64) Algorithms.byName("xxh3-64");

  @Test
  void libxxhashIsLoadedWhereTheXxhashPackageIsInstalled() {
    assertThat(NativeXxh3.available())
        .as("libxxhash.so.0 not loaded: apt-get install libxxhash0 (a dependency of xxhash)")
        .isTrue();
    assertThat(xxh3.newHasher().getClass().getEnclosingClass()).isEqualTo(NativeXxh3.class);
  }

  @Test
  void nativeValueEqualsHash4jsForSizesAroundStripesBlocksAndPieces() {
    SplittableRandom random = new SplittableRandom(16);
    byte[] data = new byte[(3 << 20) + 123];
    random.nextBytes(data);
    int[] sizes = {0, 1, 3, 16, 17, 128, 129, 240, 241, 1023, 1024, 1025, 65_536, 1 << 20};
    Hasher nativeHasher = NativeXxh3.newHasher();
    for (int size : sizes) {
      for (int offset : new int[] {0, 7}) {
        nativeHasher.update(data, offset, size);
        HashCode expected = xxh3.newPortableHasher().update(data, offset, size).finish();
        assertThat(nativeHasher.finish()).as("%d bytes at %d", size, offset).isEqualTo(expected);
      }
    }
    // More than one critical piece in one update, then the state is reused after finish.
    for (int round = 0; round < 2; round++) {
      nativeHasher.update(data, 5, data.length - 5);
      HashCode expected = xxh3.newPortableHasher().update(data, 5, data.length - 5).finish();
      assertThat(nativeHasher.finish()).isEqualTo(expected);
    }
  }

  @Test
  void nativeValueDoesNotDependOnHowTheInputIsSplit() {
    SplittableRandom random = new SplittableRandom(61);
    byte[] data = new byte[300_000];
    random.nextBytes(data);
    HashCode whole = xxh3.newPortableHasher().update(data).finish();
    Hasher hasher = NativeXxh3.newHasher();
    for (int at = 0; at < data.length; ) {
      int n = Math.min(data.length - at, random.nextInt(1, 5000));
      hasher.update(data, at, n);
      at += n;
    }
    assertThat(hasher.finish()).isEqualTo(whole);
  }

  @Test
  void aDirectBufferIsHashedWhereItIsWithTheSameValue() {
    SplittableRandom random = new SplittableRandom(62);
    byte[] data = new byte[(2 << 20) + 77];
    random.nextBytes(data);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment memory = arena.allocate(data.length);
      MemorySegment.copy(data, 0, memory, ValueLayout.JAVA_BYTE, 0, data.length);
      ByteBuffer buffer = memory.asReadOnly().asByteBuffer().position(3);
      Hasher hasher = NativeXxh3.newHasher();
      assertThat(hasher.hashesDirectBuffersInPlace()).isTrue();
      hasher.update(buffer);
      assertThat(buffer.hasRemaining()).isFalse();
      assertThat(hasher.finish())
          .isEqualTo(xxh3.newPortableHasher().update(data, 3, data.length - 3).finish());
    }
  }

  @Test
  void heapArraysAndNativeMemoryFedInTurnGiveOneValue() {
    SplittableRandom random = new SplittableRandom(63);
    byte[] data = new byte[(3 << 20) + 5];
    random.nextBytes(data);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment memory = arena.allocate(data.length);
      MemorySegment.copy(data, 0, memory, ValueLayout.JAVA_BYTE, 0, data.length);
      Hasher hasher = NativeXxh3.newHasher();
      for (int at = 0; at < data.length; ) {
        int n = Math.min(data.length - at, random.nextInt(1, 1 << 20));
        if (random.nextBoolean()) {
          hasher.update(data, at, n);
        } else {
          hasher.update(memory.asSlice(at, n).asByteBuffer());
        }
        at += n;
      }
      assertThat(hasher.finish()).isEqualTo(xxh3.newPortableHasher().update(data).finish());
    }
  }
}
