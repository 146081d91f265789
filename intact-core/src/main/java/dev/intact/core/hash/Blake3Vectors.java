package dev.intact.core.hash;

import static dev.intact.core.hash.Blake3Constants.BLOCK;
import static dev.intact.core.hash.Blake3Constants.CHUNK;
import static dev.intact.core.hash.Blake3Constants.CHUNK_END;
import static dev.intact.core.hash.Blake3Constants.CHUNK_START;
import static dev.intact.core.hash.Blake3Constants.IV;
import static dev.intact.core.hash.Blake3Constants.LE_WORD;
import static dev.intact.core.hash.Blake3Constants.PARENT;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static jdk.incubator.vector.VectorOperators.ROR;
import static jdk.incubator.vector.VectorOperators.ULT;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * BLAKE3 chaining values of {@link #LANES} whole chunks at once with the Vector API: lane {@code i}
 * of every state and message vector belongs to chunk {@code i}, as in b3sum's AVX-512 and AVX2
 * kernels, and the 16 state and 16 message vectors stay in registers through the seven rounds.
 *
 * <p>Why besides {@link Blake3Lanes}' auto-vectorised loops: those keep the state in arrays, so
 * every step of G loads and stores it, and their loops run a few iterations each; here a block's
 * compression is straight-line vector code. Only loaded when {@code jdk.incubator.vector} is in the
 * boot layer (the launcher adds it for BLAKE3), since the incubating module prints a warning at
 * start-up. The compression of one block is its own method, called 16 times per chunk, so C2
 * compiles it after a few MiB; the Vector API is very slow until then. Not thread-safe: one per
 * thread.
 */
final class Blake3Vectors {
  private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;

  /** Chunks per call: the preferred vector's 32-bit lanes (16 with AVX-512, 8 with AVX2). */
  static final int LANES = SPECIES.length();

  // The key words of an unkeyed hash, the input value of every parent node, in every lane.
  private static final int[][] IV_LANES = new int[8][LANES];

  static {
    for (int w = 0; w < 8; w++) {
      java.util.Arrays.fill(IV_LANES[w], IV[w]);
    }
  }

  // message[w][i]: word w of lane i's current block.
  private final int[][] message = new int[16][LANES];
  // The chunks being hashed, copied in one sequential pass: C2 does not compile vector loads from
  // a heap segment into vector instructions, and the copy reads memory faster than the 16 strided
  // streams of the transposition do.
  private final MemorySegment group = Arena.ofAuto().allocate((long) LANES * CHUNK, 64);

  // The lane selectors of each step of the in-register transposition (transposeBlocks).
  private static final IntVector[] LOW = new IntVector[Integer.numberOfTrailingZeros(LANES)];
  private static final IntVector[] HIGH = new IntVector[LOW.length];

  static {
    for (int step = 0, h = LANES / 2; h >= 1; step++, h /= 2) {
      int[] low = new int[LANES];
      int[] high = new int[LANES];
      for (int j = 0; j < LANES; j++) {
        boolean left = (j & h) == 0;
        low[j] = left ? j : LANES + j - h;
        high[j] = left ? j + h : LANES + j;
      }
      LOW[step] = IntVector.fromArray(SPECIES, low, 0);
      HIGH[step] = IntVector.fromArray(SPECIES, high, 0);
    }
  }

  /**
   * Whether the vectors are wide enough to be worth it: narrower ones (no AVX2), or a width that
   * does not divide {@code batch}, leave BLAKE3 to the auto-vectorised loops.
   */
  static boolean fits(int batch) {
    return SPECIES.vectorBitSize() >= 256 && batch % LANES == 0;
  }

  /**
   * Leaves in {@code cv[w][first + i]} word {@code w} of the chaining value of the chunk at {@code
   * input[offset + i * 1024..]} (chunk counter {@code counter + i}), for each lane {@code i}. None
   * of the chunks may be the root.
   */
  void chunkValues(MemorySegment input, long offset, long counter, int[][] cv, int first) {
    for (int w = 0; w < 8; w++) {
      java.util.Arrays.fill(cv[w], first, first + LANES, IV[w]);
    }
    int[][] message = this.message;
    MemorySegment group = this.group;
    MemorySegment.copy(input, offset, group, 0, group.byteSize());
    for (int b = 0; b < CHUNK / BLOCK; b++) {
      loadBlocks(group, (long) b * BLOCK, message);
      int flags = (b == 0 ? CHUNK_START : 0) | (b == CHUNK / BLOCK - 1 ? CHUNK_END : 0);
      compress(cv, first, cv, first, message, 0, counter, 1, flags);
    }
  }

  /**
   * Leaves in {@code message[w][i]} word {@code w} of the block at {@code input[at + i * 1024..]}
   * for each lane {@code i}: transposed in registers when a block is one vector, else word by word.
   */
  static void loadBlocks(MemorySegment input, long at, int[][] message) {
    if (LANES == BLOCK / 4) {
      transposeBlocks(input, at, message);
    } else {
      gatherBlocks(input, at, message);
    }
  }

  /**
   * Leaves in {@code message[w][i]} word {@code w} of the block at {@code input[at + i * 1024..]},
   * for vectors of 16 lanes, where each lane's block is one vector: the 16 loaded blocks are the
   * rows of a 16 x 16 matrix of words, transposed in registers. Each step swaps the upper right and
   * lower left h x h corner of every 2h x 2h block on the diagonal (h = 8, 4, 2, 1): row i and row
   * i + h each take h words of the other, one two-vector permutation each.
   *
   * <p>Why: loaded word by word, the 256 words of a block took as long as a third of the
   * compression.
   */
  static void transposeBlocks(MemorySegment input, long at, int[][] message) {
    IntVector r0 = IntVector.fromMemorySegment(SPECIES, input, at, LITTLE_ENDIAN);
    IntVector r1 = IntVector.fromMemorySegment(SPECIES, input, at + CHUNK, LITTLE_ENDIAN);
    IntVector r2 = IntVector.fromMemorySegment(SPECIES, input, at + 2 * CHUNK, LITTLE_ENDIAN);
    IntVector r3 = IntVector.fromMemorySegment(SPECIES, input, at + 3 * CHUNK, LITTLE_ENDIAN);
    IntVector r4 = IntVector.fromMemorySegment(SPECIES, input, at + 4 * CHUNK, LITTLE_ENDIAN);
    IntVector r5 = IntVector.fromMemorySegment(SPECIES, input, at + 5 * CHUNK, LITTLE_ENDIAN);
    IntVector r6 = IntVector.fromMemorySegment(SPECIES, input, at + 6 * CHUNK, LITTLE_ENDIAN);
    IntVector r7 = IntVector.fromMemorySegment(SPECIES, input, at + 7 * CHUNK, LITTLE_ENDIAN);
    IntVector r8 = IntVector.fromMemorySegment(SPECIES, input, at + 8 * CHUNK, LITTLE_ENDIAN);
    IntVector r9 = IntVector.fromMemorySegment(SPECIES, input, at + 9 * CHUNK, LITTLE_ENDIAN);
    IntVector r10 = IntVector.fromMemorySegment(SPECIES, input, at + 10 * CHUNK, LITTLE_ENDIAN);
    IntVector r11 = IntVector.fromMemorySegment(SPECIES, input, at + 11 * CHUNK, LITTLE_ENDIAN);
    IntVector r12 = IntVector.fromMemorySegment(SPECIES, input, at + 12 * CHUNK, LITTLE_ENDIAN);
    IntVector r13 = IntVector.fromMemorySegment(SPECIES, input, at + 13 * CHUNK, LITTLE_ENDIAN);
    IntVector r14 = IntVector.fromMemorySegment(SPECIES, input, at + 14 * CHUNK, LITTLE_ENDIAN);
    IntVector r15 = IntVector.fromMemorySegment(SPECIES, input, at + 15 * CHUNK, LITTLE_ENDIAN);
    IntVector t;
    // h = 8: rows i and i + 8.
    IntVector low = LOW[0];
    IntVector high = HIGH[0];
    t = low.selectFrom(r0, r8);
    r8 = high.selectFrom(r0, r8);
    r0 = t;
    t = low.selectFrom(r1, r9);
    r9 = high.selectFrom(r1, r9);
    r1 = t;
    t = low.selectFrom(r2, r10);
    r10 = high.selectFrom(r2, r10);
    r2 = t;
    t = low.selectFrom(r3, r11);
    r11 = high.selectFrom(r3, r11);
    r3 = t;
    t = low.selectFrom(r4, r12);
    r12 = high.selectFrom(r4, r12);
    r4 = t;
    t = low.selectFrom(r5, r13);
    r13 = high.selectFrom(r5, r13);
    r5 = t;
    t = low.selectFrom(r6, r14);
    r14 = high.selectFrom(r6, r14);
    r6 = t;
    t = low.selectFrom(r7, r15);
    r15 = high.selectFrom(r7, r15);
    r7 = t;
    // h = 4: rows i and i + 4.
    low = LOW[1];
    high = HIGH[1];
    t = low.selectFrom(r0, r4);
    r4 = high.selectFrom(r0, r4);
    r0 = t;
    t = low.selectFrom(r1, r5);
    r5 = high.selectFrom(r1, r5);
    r1 = t;
    t = low.selectFrom(r2, r6);
    r6 = high.selectFrom(r2, r6);
    r2 = t;
    t = low.selectFrom(r3, r7);
    r7 = high.selectFrom(r3, r7);
    r3 = t;
    t = low.selectFrom(r8, r12);
    r12 = high.selectFrom(r8, r12);
    r8 = t;
    t = low.selectFrom(r9, r13);
    r13 = high.selectFrom(r9, r13);
    r9 = t;
    t = low.selectFrom(r10, r14);
    r14 = high.selectFrom(r10, r14);
    r10 = t;
    t = low.selectFrom(r11, r15);
    r15 = high.selectFrom(r11, r15);
    r11 = t;
    // h = 2: rows i and i + 2.
    low = LOW[2];
    high = HIGH[2];
    t = low.selectFrom(r0, r2);
    r2 = high.selectFrom(r0, r2);
    r0 = t;
    t = low.selectFrom(r1, r3);
    r3 = high.selectFrom(r1, r3);
    r1 = t;
    t = low.selectFrom(r4, r6);
    r6 = high.selectFrom(r4, r6);
    r4 = t;
    t = low.selectFrom(r5, r7);
    r7 = high.selectFrom(r5, r7);
    r5 = t;
    t = low.selectFrom(r8, r10);
    r10 = high.selectFrom(r8, r10);
    r8 = t;
    t = low.selectFrom(r9, r11);
    r11 = high.selectFrom(r9, r11);
    r9 = t;
    t = low.selectFrom(r12, r14);
    r14 = high.selectFrom(r12, r14);
    r12 = t;
    t = low.selectFrom(r13, r15);
    r15 = high.selectFrom(r13, r15);
    r13 = t;
    // h = 1: rows i and i + 1.
    low = LOW[3];
    high = HIGH[3];
    low.selectFrom(r0, r1).intoArray(message[0], 0);
    high.selectFrom(r0, r1).intoArray(message[1], 0);
    low.selectFrom(r2, r3).intoArray(message[2], 0);
    high.selectFrom(r2, r3).intoArray(message[3], 0);
    low.selectFrom(r4, r5).intoArray(message[4], 0);
    high.selectFrom(r4, r5).intoArray(message[5], 0);
    low.selectFrom(r6, r7).intoArray(message[6], 0);
    high.selectFrom(r6, r7).intoArray(message[7], 0);
    low.selectFrom(r8, r9).intoArray(message[8], 0);
    high.selectFrom(r8, r9).intoArray(message[9], 0);
    low.selectFrom(r10, r11).intoArray(message[10], 0);
    high.selectFrom(r10, r11).intoArray(message[11], 0);
    low.selectFrom(r12, r13).intoArray(message[12], 0);
    high.selectFrom(r12, r13).intoArray(message[13], 0);
    low.selectFrom(r14, r15).intoArray(message[14], 0);
    high.selectFrom(r14, r15).intoArray(message[15], 0);
  }

  /**
   * What {@link #transposeBlocks} leaves, word by word, for vectors of any width (8 lanes with
   * AVX2, where a block is two vectors).
   */
  static void gatherBlocks(MemorySegment input, long at, int[][] message) {
    for (int w = 0; w < 16; w++) {
      int[] mw = message[w];
      for (int i = 0; i < LANES; i++) {
        mw[i] = input.get(LE_WORD, at + 4L * w + (long) i * CHUNK);
      }
    }
  }

  /**
   * Leaves in {@code out[w][first + i]} word {@code w} of the chaining value of the parent node
   * whose block is {@code children[0..15][first + i]} (the left child's value, then the right's),
   * for each lane {@code i}. None of them may be the root.
   */
  static void parentValues(int[][] children, int first, int[][] out) {
    compress(IV_LANES, 0, out, first, children, first, 0, 0, PARENT);
  }

  /**
   * One block of every lane: the input values {@code in[w][from..from + LANES)} and the block
   * {@code message[w][messageFirst..]}, counter {@code counter + counterStep * lane}; the output
   * values go to {@code out[w][first..]}.
   */
  private static void compress(
      int[][] in,
      int from,
      int[][] out,
      int first,
      int[][] message,
      int messageFirst,
      long counter,
      int counterStep,
      int flags) {
    IntVector lo = IntVector.zero(SPECIES).addIndex(counterStep).add((int) counter);
    // Lanes whose low counter word wrapped past 2^32 carry into the high word.
    IntVector hi =
        IntVector.broadcast(SPECIES, (int) (counter >>> 32))
            .add(IntVector.broadcast(SPECIES, 1), lo.compare(ULT, (int) counter));
    IntVector m0 = IntVector.fromArray(SPECIES, message[0], messageFirst);
    IntVector m1 = IntVector.fromArray(SPECIES, message[1], messageFirst);
    IntVector m2 = IntVector.fromArray(SPECIES, message[2], messageFirst);
    IntVector m3 = IntVector.fromArray(SPECIES, message[3], messageFirst);
    IntVector m4 = IntVector.fromArray(SPECIES, message[4], messageFirst);
    IntVector m5 = IntVector.fromArray(SPECIES, message[5], messageFirst);
    IntVector m6 = IntVector.fromArray(SPECIES, message[6], messageFirst);
    IntVector m7 = IntVector.fromArray(SPECIES, message[7], messageFirst);
    IntVector m8 = IntVector.fromArray(SPECIES, message[8], messageFirst);
    IntVector m9 = IntVector.fromArray(SPECIES, message[9], messageFirst);
    IntVector m10 = IntVector.fromArray(SPECIES, message[10], messageFirst);
    IntVector m11 = IntVector.fromArray(SPECIES, message[11], messageFirst);
    IntVector m12 = IntVector.fromArray(SPECIES, message[12], messageFirst);
    IntVector m13 = IntVector.fromArray(SPECIES, message[13], messageFirst);
    IntVector m14 = IntVector.fromArray(SPECIES, message[14], messageFirst);
    IntVector m15 = IntVector.fromArray(SPECIES, message[15], messageFirst);
    IntVector v0 = IntVector.fromArray(SPECIES, in[0], from);
    IntVector v1 = IntVector.fromArray(SPECIES, in[1], from);
    IntVector v2 = IntVector.fromArray(SPECIES, in[2], from);
    IntVector v3 = IntVector.fromArray(SPECIES, in[3], from);
    IntVector v4 = IntVector.fromArray(SPECIES, in[4], from);
    IntVector v5 = IntVector.fromArray(SPECIES, in[5], from);
    IntVector v6 = IntVector.fromArray(SPECIES, in[6], from);
    IntVector v7 = IntVector.fromArray(SPECIES, in[7], from);
    IntVector v8 = IntVector.broadcast(SPECIES, IV[0]);
    IntVector v9 = IntVector.broadcast(SPECIES, IV[1]);
    IntVector v10 = IntVector.broadcast(SPECIES, IV[2]);
    IntVector v11 = IntVector.broadcast(SPECIES, IV[3]);
    IntVector v12 = lo;
    IntVector v13 = hi;
    IntVector v14 = IntVector.broadcast(SPECIES, BLOCK);
    IntVector v15 = IntVector.broadcast(SPECIES, flags);
    for (int round = 0; round < 7; round++) {
      v0 = v0.add(v4).add(m0);
      v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
      v8 = v8.add(v12);
      v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
      v0 = v0.add(v4).add(m1);
      v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
      v8 = v8.add(v12);
      v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
      v1 = v1.add(v5).add(m2);
      v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
      v9 = v9.add(v13);
      v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
      v1 = v1.add(v5).add(m3);
      v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
      v9 = v9.add(v13);
      v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
      v2 = v2.add(v6).add(m4);
      v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
      v10 = v10.add(v14);
      v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
      v2 = v2.add(v6).add(m5);
      v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
      v10 = v10.add(v14);
      v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
      v3 = v3.add(v7).add(m6);
      v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
      v11 = v11.add(v15);
      v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
      v3 = v3.add(v7).add(m7);
      v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
      v11 = v11.add(v15);
      v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
      v0 = v0.add(v5).add(m8);
      v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
      v10 = v10.add(v15);
      v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
      v0 = v0.add(v5).add(m9);
      v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
      v10 = v10.add(v15);
      v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
      v1 = v1.add(v6).add(m10);
      v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
      v11 = v11.add(v12);
      v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
      v1 = v1.add(v6).add(m11);
      v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
      v11 = v11.add(v12);
      v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
      v2 = v2.add(v7).add(m12);
      v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
      v8 = v8.add(v13);
      v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
      v2 = v2.add(v7).add(m13);
      v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
      v8 = v8.add(v13);
      v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
      v3 = v3.add(v4).add(m14);
      v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
      v9 = v9.add(v14);
      v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
      v3 = v3.add(v4).add(m15);
      v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
      v9 = v9.add(v14);
      v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
      // The next round's message order: word i becomes the permuted word P[i] (the reference's
      // permute), a renaming of registers.
      IntVector p0 = m2;
      IntVector p1 = m6;
      IntVector p2 = m3;
      IntVector p3 = m10;
      IntVector p4 = m7;
      IntVector p5 = m0;
      IntVector p6 = m4;
      IntVector p7 = m13;
      IntVector p8 = m1;
      IntVector p9 = m11;
      IntVector p10 = m12;
      IntVector p11 = m5;
      IntVector p12 = m9;
      IntVector p13 = m14;
      IntVector p14 = m15;
      IntVector p15 = m8;
      m0 = p0;
      m1 = p1;
      m2 = p2;
      m3 = p3;
      m4 = p4;
      m5 = p5;
      m6 = p6;
      m7 = p7;
      m8 = p8;
      m9 = p9;
      m10 = p10;
      m11 = p11;
      m12 = p12;
      m13 = p13;
      m14 = p14;
      m15 = p15;
    }
    v0.lanewise(XOR, v8).intoArray(out[0], first);
    v1.lanewise(XOR, v9).intoArray(out[1], first);
    v2.lanewise(XOR, v10).intoArray(out[2], first);
    v3.lanewise(XOR, v11).intoArray(out[3], first);
    v4.lanewise(XOR, v12).intoArray(out[4], first);
    v5.lanewise(XOR, v13).intoArray(out[5], first);
    v6.lanewise(XOR, v14).intoArray(out[6], first);
    v7.lanewise(XOR, v15).intoArray(out[7], first);
  }
}
