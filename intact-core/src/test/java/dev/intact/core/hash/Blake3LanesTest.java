package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two multi-lane BLAKE3 kernels agree: the Vector API one (used when {@code
 * jdk.incubator.vector} is present, as in this test run and in BLAKE3 sums, once the input is
 * large) and the auto-vectorised loops (small inputs and every other run). {@link Blake3Test}
 * checks whole hashes against b3sum and BouncyCastle through the kernel in use.
 */
class Blake3LanesTest {
  private static final int BATCH = Blake3Lanes.LANES * Blake3Constants.CHUNK;
  private static final Blake3KernelChoice VECTORS = new Blake3KernelChoice(0);
  private static final Blake3KernelChoice LOOPS = new Blake3KernelChoice(Long.MAX_VALUE);

  @Test
  void theVectorApiKernelIsInUseWhenItsModuleIsPresent() {
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    assertThat(Blake3Lanes.VECTOR_API).isTrue();
  }

  /**
   * Chunk values at counters around 2^32, where a lane's low counter word wraps and carries into
   * the high word in the middle of a batch, and at an offset that is not a multiple of anything.
   */
  @Test
  void bothKernelsGiveTheSameChunkValues() {
    byte[] input = new byte[BATCH + 7];
    new SplittableRandom(16).nextBytes(input);
    for (long counter : new long[] {0, 5, (1L << 32) - 20, (1L << 32) - 1, 3L << 40}) {
      int[] vector = new int[8 * Blake3Lanes.LANES];
      int[] loops = new int[8 * Blake3Lanes.LANES];
      new Blake3Lanes(VECTORS).chunkValues(MemorySegment.ofArray(input), 7, counter, vector, 0);
      new Blake3Lanes(LOOPS).chunkValues(MemorySegment.ofArray(input), 7, counter, loops, 0);
      assertThat(vector).as("counter %d", counter).isEqualTo(loops);
    }
  }

  @Test
  void bothKernelsGiveTheSameSubtreeValues() {
    byte[] input = new byte[2 * BATCH];
    new SplittableRandom(64).nextBytes(input);
    for (long counter : new long[] {0, Blake3Lanes.LANES, (1L << 32) - Blake3Lanes.LANES}) {
      int[] vector = new int[8];
      int[] loops = new int[8];
      new Blake3Lanes(VECTORS)
          .subtreeValue(MemorySegment.ofArray(input), BATCH, counter, vector, 0);
      new Blake3Lanes(LOOPS).subtreeValue(MemorySegment.ofArray(input), BATCH, counter, loops, 0);
      assertThat(vector).as("counter %d", counter).isEqualTo(loops);
    }
  }

  /**
   * The vector kernel's message load leaves word {@code w} of lane {@code i}'s block in {@code
   * message[w][i]}, for every block of a chunk group: with 16 lanes (AVX-512) the in-register
   * transposition, else the word-by-word load, whichever this machine runs.
   */
  @Test
  void theMessageLoadLeavesEachLanesBlockWordByWord() {
    int lanes = Blake3Vectors.LANES;
    byte[] bytes = new byte[lanes * Blake3Constants.CHUNK];
    new SplittableRandom(1616).nextBytes(bytes);
    MemorySegment group =
        Arena.ofAuto().allocate(bytes.length).copyFrom(MemorySegment.ofArray(bytes));
    for (int b = 0; b < Blake3Constants.CHUNK / Blake3Constants.BLOCK; b++) {
      int[][] loaded = new int[16][lanes];
      Blake3Vectors.loadBlocks(group, b * 64L, loaded);
      for (int w = 0; w < 16; w++) {
        for (int i = 0; i < lanes; i++) {
          assertThat(loaded[w][i])
              .as("block %d, word %d, lane %d", b, w, i)
              .isEqualTo(
                  MemorySegment.ofArray(bytes)
                      .get(Blake3Constants.LE_WORD, i * 1024L + b * 64L + 4L * w));
        }
      }
    }
  }

  /**
   * A power of two of adjacent subtree values merge into the value of the subtree they make up, the
   * same through both kernels, from anywhere in the array; other counts are refused.
   */
  @Test
  void aPowerOfTwoOfSubtreeValuesMergeIntoOne() {
    byte[] input = new byte[8 * BATCH];
    new SplittableRandom(6).nextBytes(input);
    MemorySegment segment = MemorySegment.ofArray(input);
    for (int count : new int[] {1, 2, 4, 8}) {
      int[][] merged = new int[2][];
      for (int k = 0; k < 2; k++) {
        Blake3Lanes lanes = new Blake3Lanes(k == 0 ? VECTORS : LOOPS);
        int[] values = new int[8 * (count + 1)];
        for (int b = 0; b < count; b++) {
          lanes.subtreeValue(
              segment, (long) b * BATCH, (long) (8 + b) * Blake3Lanes.LANES, values, 8 * (b + 1));
        }
        lanes.mergeSubtrees(values, 1, count);
        merged[k] = Arrays.copyOfRange(values, 8, 16);
      }
      assertThat(merged[0]).as("%d subtrees", count).isEqualTo(merged[1]);
    }
    assertThatThrownBy(() -> new Blake3Lanes().mergeSubtrees(new int[48], 0, 6))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
