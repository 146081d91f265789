package dev.intact.core.hash;

import static dev.intact.core.hash.Blake3Constants.BLOCK;
import static dev.intact.core.hash.Blake3Constants.CHUNK;
import static dev.intact.core.hash.Blake3Constants.CHUNK_END;
import static dev.intact.core.hash.Blake3Constants.CHUNK_START;
import static dev.intact.core.hash.Blake3Constants.IV;
import static dev.intact.core.hash.Blake3Constants.LE_WORD;
import static dev.intact.core.hash.Blake3Constants.PARENT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * BLAKE3 chaining values of {@link #LANES} whole 1 KiB chunks at once, the way b3sum's SIMD kernels
 * work: lane {@code i} of every state and message word belongs to chunk {@code i}, and each step of
 * the G function is one loop over the lanes.
 *
 * <p>Why this shape: the loops have no dependency between lanes, so C2's auto-vectoriser
 * (SuperWord) turns each G into AVX2/AVX-512 instructions over 8 or 16 chunks, without the
 * incubating Vector API (whose module prints a warning on stderr on every run). When the launcher
 * has added that module (commands that name blake3), the chunks and parents go to {@link
 * Blake3Vectors} instead, which keeps the state in registers, once {@link Blake3KernelChoice} says
 * the input is large enough to pay for its compilation. The message words are transposed (gathered
 * with a 1 KiB stride) once per block, outside the rounds. Not thread-safe: one per thread.
 */
final class Blake3Lanes {
  /** Chunks hashed per call: long enough for the loops to be vectorised and not fully unrolled. */
  static final int LANES = 64;

  // The message word order of each of the seven rounds (the reference's MSG_SCHEDULE).
  private static final int[][] SCHEDULE = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
  };

  /**
   * Whether the chunks go to {@link Blake3Vectors}: only with {@code jdk.incubator.vector} in the
   * boot layer (checked first, so that class is not loaded without it) and vectors that fit.
   */
  static final boolean VECTOR_API =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && Blake3Vectors.fits(LANES);

  // v[w][lane]: the 16 working words; m[w][lane]: the current block's message; cv: chaining values.
  private final int[][] v = new int[16][LANES];
  private final int[][] m = new int[16][LANES];
  private final int[][] cv = new int[8][LANES];
  // The Vector API kernel (null where it does not fit: the loops below only), and when to use it.
  private final Blake3Vectors vectors;
  private final Blake3KernelChoice choice;

  Blake3Lanes() {
    this(Blake3KernelChoice.PROCESS);
  }

  /** Kernels as {@code choice} picks them (the loops where the Vector API does not fit). */
  Blake3Lanes(Blake3KernelChoice choice) {
    this.choice = choice;
    vectors = choice.mayPickVectors() ? new Blake3Vectors() : null;
  }

  private boolean vectorsNow() {
    return vectors != null && choice.vectors();
  }

  /**
   * Writes the chaining values of the {@link #LANES} chunks at {@code offset} of {@code input}
   * (chunk counters {@code counter, counter + 1, ...}) to {@code out}, 8 words per chunk, from
   * {@code outOffset}. None of them may be the root: the caller knows more input follows.
   */
  void chunkValues(MemorySegment input, long offset, long counter, int[] out, int outOffset) {
    compressChunks(input, offset, counter);
    for (int i = 0; i < LANES; i++) {
      for (int w = 0; w < 8; w++) {
        out[outOffset + 8 * i + w] = cv[w][i];
      }
    }
  }

  /**
   * Writes to {@code out[outOffset..outOffset + 8)} the chaining value of the complete subtree over
   * the {@link #LANES} chunks at {@code input[offset..]}, whose first chunk counter must be a
   * multiple of {@link #LANES} (so they are one subtree of the BLAKE3 tree) and which may not be
   * the whole input (the subtree is not the root).
   *
   * <p>Why here: merged one by one on the caller's thread, the 63 parent nodes of each batch took a
   * scalar compression each, about a third of the lane kernel's time and all of it serial; here
   * each level of the subtree is one pass of the lanes (32, 16, ... parents at once), on the thread
   * that hashed the chunks.
   */
  void subtreeValue(MemorySegment input, long offset, long counter, int[] out, int outOffset) {
    if (counter % LANES != 0) {
      throw new IllegalArgumentException("chunk counter " + counter + " is not subtree-aligned");
    }
    compressChunks(input, offset, counter);
    for (int n = LANES / 2; n >= 1; n /= 2) {
      // Parent j's message is the values of children 2j and 2j + 1.
      for (int w = 0; w < 8; w++) {
        int[] child = cv[w];
        int[] left = m[w];
        int[] right = m[w + 8];
        for (int j = 0; j < n; j++) {
          left[j] = child[2 * j];
          right[j] = child[2 * j + 1];
        }
      }
      parents(n);
    }
    for (int w = 0; w < 8; w++) {
      out[outOffset + w] = cv[w][0];
    }
  }

  /**
   * Merges the values of {@code count} (a power of two) adjacent complete subtrees of one size, 8
   * words each from {@code values[8 * from]}, into the value of the subtree they make up, left at
   * {@code values[8 * from]}; the first of them must be the {@code count}-aligned one of its size
   * in the tree. It may not be the root.
   *
   * <p>Why: the subtree values of a 16 MiB window merged one by one into the tree took a scalar
   * compression each, whose JIT compilation cost more than the merging itself; here each level is
   * one pass of the lanes.
   */
  void mergeSubtrees(int[] values, int from, int count) {
    if (Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException(count + " subtrees are not a power of two");
    }
    int base = 8 * from;
    for (; count > 1; count /= 2) {
      int parentCount = count / 2;
      // Parents are written over the values of earlier children, which are read first.
      for (int first = 0; first < parentCount; first += LANES) {
        int n = Math.min(LANES, parentCount - first);
        for (int j = 0; j < n; j++) {
          int left = base + 16 * (first + j);
          for (int w = 0; w < 8; w++) {
            m[w][j] = values[left + w];
            m[w + 8][j] = values[left + 8 + w];
          }
        }
        parents(n);
        for (int j = 0; j < n; j++) {
          for (int w = 0; w < 8; w++) {
            values[base + 8 * (first + j) + w] = cv[w][j];
          }
        }
      }
    }
  }

  /**
   * Leaves in {@code cv[w][j]} the value of the parent node whose children's values are {@code
   * m[0..7][j]} and {@code m[8..15][j]}, for each {@code j < n}.
   */
  private void parents(int n) {
    if (vectorsNow()) {
      // Lanes past n hash stale words; their values land past n.
      for (int j = 0; j < n; j += Blake3Vectors.LANES) {
        Blake3Vectors.parentValues(m, j, cv);
      }
      return;
    }
    for (int w = 0; w < 8; w++) {
      Arrays.fill(v[w], 0, n, IV[w]);
      Arrays.fill(v[w + 8], 0, n, IV[w & 3]);
    }
    Arrays.fill(v[12], 0, n, 0);
    Arrays.fill(v[13], 0, n, 0);
    Arrays.fill(v[14], 0, n, BLOCK);
    Arrays.fill(v[15], 0, n, PARENT);
    for (int[] s : SCHEDULE) {
      round(s, n);
    }
    for (int w = 0; w < 8; w++) {
      xor(v[w], v[w + 8], cv[w], n);
    }
  }

  /** Leaves in {@code cv[w][i]} the chaining value of chunk {@code i} (counter + i). */
  private void compressChunks(MemorySegment input, long offset, long counter) {
    if (vectorsNow()) {
      for (int i = 0; i < LANES; i += Blake3Vectors.LANES) {
        vectors.chunkValues(input, offset + (long) i * CHUNK, counter + i, cv, i);
      }
      return;
    }
    for (int w = 0; w < 8; w++) {
      Arrays.fill(cv[w], IV[w]);
    }
    for (int b = 0; b < CHUNK / BLOCK; b++) {
      loadMessage(input, offset + (long) b * BLOCK);
      int flags = (b == 0 ? CHUNK_START : 0) | (b == CHUNK / BLOCK - 1 ? CHUNK_END : 0);
      for (int w = 0; w < 8; w++) {
        System.arraycopy(cv[w], 0, v[w], 0, LANES);
        Arrays.fill(v[w + 8], IV[w & 3]);
      }
      int[] lo = v[12];
      int[] hi = v[13];
      for (int i = 0; i < LANES; i++) {
        long c = counter + i;
        lo[i] = (int) c;
        hi[i] = (int) (c >>> 32);
      }
      Arrays.fill(v[14], BLOCK);
      Arrays.fill(v[15], flags);
      for (int[] s : SCHEDULE) {
        round(s, LANES);
      }
      for (int w = 0; w < 8; w++) {
        xor(v[w], v[w + 8], cv[w], LANES);
      }
    }
  }

  /** Word {@code w} of lane {@code i}'s block: {@code m[w][i]}, from chunk {@code i}'s bytes. */
  private void loadMessage(MemorySegment input, long blockOffset) {
    for (int w = 0; w < 16; w++) {
      int[] mw = m[w];
      long at = blockOffset + 4L * w;
      for (int i = 0; i < LANES; i++) {
        mw[i] = input.get(LE_WORD, at + (long) i * CHUNK);
      }
    }
  }

  /** One round on lanes {@code [0, n)}. */
  private void round(int[] s, int n) {
    int[][] v = this.v;
    int[][] m = this.m;
    g(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]], n);
    g(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]], n);
    g(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]], n);
    g(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]], n);
    g(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]], n);
    g(v[1], v[6], v[11], v[12], m[s[10]], m[s[11]], n);
    g(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]], n);
    g(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]], n);
  }

  /**
   * The G function on lanes {@code [0, n)}; each iteration is independent, so the loop vectorises.
   */
  private static void g(int[] a, int[] b, int[] c, int[] d, int[] x, int[] y, int n) {
    for (int i = 0; i < n; i++) {
      int va = a[i] + b[i] + x[i];
      int vd = Integer.rotateRight(d[i] ^ va, 16);
      int vc = c[i] + vd;
      int vb = Integer.rotateRight(b[i] ^ vc, 12);
      va = va + vb + y[i];
      vd = Integer.rotateRight(vd ^ va, 8);
      vc = vc + vd;
      vb = Integer.rotateRight(vb ^ vc, 7);
      a[i] = va;
      b[i] = vb;
      c[i] = vc;
      d[i] = vd;
    }
  }

  private static void xor(int[] x, int[] y, int[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = x[i] ^ y[i];
    }
  }
}
