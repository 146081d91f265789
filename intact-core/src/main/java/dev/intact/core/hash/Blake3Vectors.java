package dev.intact.core.hash;

import static dev.intact.core.hash.Blake3Constants.BLOCK;
import static dev.intact.core.hash.Blake3Constants.CHUNK;
import static dev.intact.core.hash.Blake3Constants.CHUNK_END;
import static dev.intact.core.hash.Blake3Constants.CHUNK_START;
import static dev.intact.core.hash.Blake3Constants.IV;
import static dev.intact.core.hash.Blake3Constants.LE_INT;
import static dev.intact.core.hash.Blake3Constants.PARENT;
import static jdk.incubator.vector.VectorOperators.ROR;
import static jdk.incubator.vector.VectorOperators.ULT;
import static jdk.incubator.vector.VectorOperators.XOR;

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
  void chunkValues(byte[] input, int offset, long counter, int[][] cv, int first) {
    for (int w = 0; w < 8; w++) {
      java.util.Arrays.fill(cv[w], first, first + LANES, IV[w]);
    }
    int[][] message = this.message;
    for (int b = 0; b < CHUNK / BLOCK; b++) {
      int at = offset + b * BLOCK;
      for (int w = 0; w < 16; w++) {
        int[] mw = message[w];
        for (int i = 0; i < LANES; i++) {
          mw[i] = (int) LE_INT.get(input, at + 4 * w + i * CHUNK);
        }
      }
      int flags = (b == 0 ? CHUNK_START : 0) | (b == CHUNK / BLOCK - 1 ? CHUNK_END : 0);
      compress(cv, cv, first, message, 0, counter, 1, flags);
    }
  }

  /**
   * Leaves in {@code out[w][first + i]} word {@code w} of the chaining value of the parent node
   * whose block is {@code children[0..15][first + i]} (the left child's value, then the right's),
   * for each lane {@code i}. None of them may be the root.
   */
  static void parentValues(int[][] children, int first, int[][] out) {
    compress(IV_LANES, out, first, children, first, 0, 0, PARENT);
  }

  /**
   * One block of every lane: the input values {@code in[w][first..first + LANES)} (from lane 0 of
   * {@code in} when it is the key) and the block {@code message[w][messageFirst..]}, counter {@code
   * counter + counterStep * lane}; the output values go to {@code out[w][first..]}.
   */
  private static void compress(
      int[][] in,
      int[][] out,
      int first,
      int[][] message,
      int messageFirst,
      long counter,
      int counterStep,
      int flags) {
    int from = in == IV_LANES ? 0 : first;
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
