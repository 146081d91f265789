package dev.intact.core.hash;

import static dev.intact.core.hash.Blake3Constants.BLOCK;
import static dev.intact.core.hash.Blake3Constants.CHUNK;
import static dev.intact.core.hash.Blake3Constants.CHUNK_END;
import static dev.intact.core.hash.Blake3Constants.CHUNK_START;
import static dev.intact.core.hash.Blake3Constants.IV;
import static dev.intact.core.hash.Blake3Constants.LE_INT;
import static dev.intact.core.hash.Blake3Constants.LE_WORD;
import static dev.intact.core.hash.Blake3Constants.PARENT;
import static dev.intact.core.hash.Blake3Constants.ROOT;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The running state of an unkeyed BLAKE3 hash with 32 bytes of output, following the BLAKE3 paper's
 * reference structure: 1024-byte chunks of 64-byte blocks, each chunk's chaining value pushed on a
 * stack and merged into parent nodes as the binary tree completes.
 *
 * <p>Why hand-written: BouncyCastle's Blake3Digest runs at ~0.1 GB/s here. The compression function
 * is written like {@link Blake2bHasher}'s (state and message words in int locals, rounds unrolled
 * with the message permutation resolved in the source, two methods so C2 compiles each well). Runs
 * of whole chunks in a large update go to {@link Blake3Lanes} instead, as b3sum does: many chunks
 * at once in SIMD lanes (the Vector API or auto-vectorised loops), batches spread over the cores.
 */
final class Blake3Hasher implements Hasher {
  static final int OUT_LENGTH = 32;
  // 2^54 chunks of 1 KiB exceed any input a long can count.
  private static final int MAX_DEPTH = 54;
  // Whole chunks hashed together by the multi-lane kernel, one kernel per thread.
  private static final int BATCH = Blake3Lanes.LANES * CHUNK;
  private static final ThreadLocal<Blake3Lanes> LANES = ThreadLocal.withInitial(Blake3Lanes::new);
  // Below this many batches in one update, threads are not worth starting.
  private static final int PARALLEL_BATCHES = 4;
  // Batches handed to the threads at a time (16 MiB): their values are held in one int[].
  private static final int MAX_BATCHES = 256;

  // The current chunk: its chaining value so far, index, buffered block and blocks compressed.
  private final int[] cv = new int[8];
  private long chunkCounter;
  private final byte[] blockBytes = new byte[BLOCK];
  private final MemorySegment block = MemorySegment.ofArray(blockBytes);
  private int blockLength;
  private int blocksCompressed;
  // Chaining values of completed subtrees, 8 words each, the left-most first.
  private final int[] stack = new int[8 * MAX_DEPTH];
  private int stackSize;
  // The working vector between the two halves of the compression function, then its output.
  private final int[] v = new int[16];
  private final byte[] parentBytes = new byte[BLOCK];
  private final MemorySegment parentBlock = MemorySegment.ofArray(parentBytes);
  // A whole batch that ended an update at a chunk boundary, held back because it holds the root
  // if no more input follows (allocated on first use).
  private MemorySegment pendingBatch;
  private boolean batchPending;
  // The chunk values of a held-back batch hashed by finishInto.
  private int[] pendingValues;

  Blake3Hasher() {
    reset();
  }

  private void reset() {
    System.arraycopy(IV, 0, cv, 0, 8);
    chunkCounter = 0;
    blockLength = 0;
    blocksCompressed = 0;
    stackSize = 0;
    batchPending = false;
  }

  @Override
  public Hasher update(byte[] input, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, input.length);
    update(MemorySegment.ofArray(input), offset, length);
    return this;
  }

  /**
   * A direct buffer (a mapped file's window, hashed in place) is read where it is, by the same
   * kernels as an array.
   */
  @Override
  public Hasher update(ByteBuffer input) {
    if (input.isDirect()) {
      update(MemorySegment.ofBuffer(input), 0, input.remaining());
      input.position(input.limit());
      return this;
    }
    return Hasher.super.update(input);
  }

  @Override
  public boolean hashesDirectBuffersInPlace() {
    return true;
  }

  @Override
  public boolean prefersMappedFiles() {
    return true;
  }

  private void update(MemorySegment input, long offset, long length) {
    if (length == 0) {
      return;
    }
    Blake3KernelChoice.PROCESS.offer(length);
    if (batchPending) {
      // More input follows the held-back batch, so none of its chunks is the root.
      batchPending = false;
      batchedChunks(pendingBatch, 0, 1);
    }
    absorb(input, offset, length);
  }

  /**
   * Hashes the input: runs of whole chunks go to the multi-lane kernel, and a whole batch that ends
   * the input is held back in {@link #pendingBatch} until more input comes or the hash is finished.
   *
   * <p>Why held back and not hashed one chunk at a time: every read of a file ends on a batch
   * boundary, and its last batch through the scalar compression cost as much as the fifteen before
   * it through the lanes; so did every value of exactly one batch.
   */
  private void absorb(MemorySegment input, long offset, long length) {
    while (length > 0) {
      // A full chunk is finished only once more input is known to follow: the last chunk may be
      // the root.
      if (blocksCompressed * BLOCK + blockLength == CHUNK) {
        finishChunk();
      }
      if (blocksCompressed == 0 && blockLength == 0 && length >= BATCH) {
        // At a chunk boundary with whole batches of chunks ahead: their chaining values come
        // from the multi-lane kernel, on several cores when there are enough of them, and join
        // the tree in order. A last batch that ends the input waits for more.
        long whole = length / BATCH;
        boolean last = whole * BATCH == length;
        long now = last ? whole - 1 : whole;
        for (long done = 0; done < now; ) {
          int n = (int) Math.min(now - done, MAX_BATCHES);
          batchedChunks(input, offset, n);
          offset += (long) n * BATCH;
          length -= (long) n * BATCH;
          done += n;
        }
        if (last) {
          if (pendingBatch == null) {
            pendingBatch = MemorySegment.ofArray(new byte[BATCH]);
          }
          MemorySegment.copy(input, offset, pendingBatch, 0, BATCH);
          batchPending = true;
          return;
        }
        continue;
      }
      if (blockLength == BLOCK) {
        compressIntoCv(block, 0, blocksCompressed == 0 ? CHUNK_START : 0);
        blocksCompressed++;
        blockLength = 0;
      }
      // Whole blocks straight from the input while more input follows them and they are not
      // their chunk's last block.
      while (blockLength == 0 && length > BLOCK && blocksCompressed < CHUNK / BLOCK - 1) {
        compressIntoCv(input, offset, blocksCompressed == 0 ? CHUNK_START : 0);
        blocksCompressed++;
        offset += BLOCK;
        length -= BLOCK;
      }
      int n = (int) Math.min(length, BLOCK - blockLength);
      MemorySegment.copy(input, offset, block, blockLength, n);
      blockLength += n;
      offset += n;
      length -= n;
    }
  }

  private void compressIntoCv(MemorySegment input, long offset, int flags) {
    compress(cv, input, offset, chunkCounter, BLOCK, flags);
    System.arraycopy(v, 0, cv, 0, 8);
  }

  /**
   * Hashes {@code batches * BATCH} bytes of whole chunks, starting at the current (empty) chunk,
   * and adds their chaining values to the tree. Batches go to the common fork-join pool when there
   * are several per worker: each is 64 KiB of work, far more than handing it over costs. Batches
   * that start on a multiple of {@link Blake3Lanes#LANES} chunks (every batch of a file read in
   * pieces of 1 MiB) are whole subtrees, reduced to one value each by the thread that hashed them,
   * and then to as few bigger subtrees as they make up.
   */
  private void batchedChunks(MemorySegment input, long offset, int batches) {
    long first = chunkCounter;
    boolean subtrees = first % Blake3Lanes.LANES == 0;
    int[] values = new int[batches * (subtrees ? 1 : Blake3Lanes.LANES) * 8];
    IntConsumer batch =
        b -> {
          Blake3Lanes lanes = LANES.get();
          long counter = first + (long) b * Blake3Lanes.LANES;
          long at = offset + (long) b * BATCH;
          if (subtrees) {
            lanes.subtreeValue(input, at, counter, values, 8 * b);
          } else {
            lanes.chunkValues(input, at, counter, values, 8 * b * Blake3Lanes.LANES);
          }
        };
    if (batches >= PARALLEL_BATCHES && Runtime.getRuntime().availableProcessors() > 1) {
      IntStream.range(0, batches).parallel().forEach(batch);
    } else {
      for (int b = 0; b < batches; b++) {
        batch.accept(b);
      }
    }
    if (!subtrees) {
      for (int i = 0; i < batches * Blake3Lanes.LANES; i++) {
        System.arraycopy(values, 8 * i, v, 0, 8);
        addValue(1);
      }
      return;
    }
    // The batches' subtrees as the fewest bigger ones: from each, the largest run of a power of
    // two whose first is aligned to it; only those the tree completes later merge one by one.
    Blake3Lanes lanes = LANES.get();
    long index = first / Blake3Lanes.LANES;
    for (int at = 0; at < batches; ) {
      long aligned = index == 0 ? Long.MAX_VALUE : Long.lowestOneBit(index);
      int size = (int) Math.min(aligned, Integer.highestOneBit(batches - at));
      lanes.mergeSubtrees(values, at, size);
      System.arraycopy(values, 8 * at, v, 0, 8);
      addValue(size * Blake3Lanes.LANES);
      at += size;
      index += size;
    }
  }

  /** Compresses the full last block of the current chunk and merges its value into the tree. */
  private void finishChunk() {
    compress(cv, block, 0, chunkCounter, BLOCK, chunkFlags());
    addValue(1);
  }

  /**
   * Adds the chaining value in {@code v[0..7]} of the complete subtree of {@code chunks} chunks (a
   * power of two; {@link #chunkCounter} is a multiple of it) to the tree and starts the chunk after
   * it.
   */
  private void addValue(int chunks) {
    long subtrees = (chunkCounter + chunks) / chunks;
    // Merge while the number of subtrees of this size so far says a bigger one is complete (the
    // reference's add_chunk_chaining_value, counted in subtrees instead of chunks); the value
    // being merged stays in v[0..7].
    while ((subtrees & 1) == 0) {
      stackSize--;
      writeWords(stack, 8 * stackSize, parentBytes, 0);
      writeWords(v, 0, parentBytes, 32);
      compress(IV, parentBlock, 0, 0, BLOCK, PARENT);
      subtrees >>>= 1;
    }
    System.arraycopy(v, 0, stack, 8 * stackSize, 8);
    stackSize++;
    System.arraycopy(IV, 0, cv, 0, 8);
    chunkCounter += chunks;
    blocksCompressed = 0;
    blockLength = 0;
  }

  private int chunkFlags() {
    return CHUNK_END | (blocksCompressed == 0 ? CHUNK_START : 0);
  }

  @Override
  public void finishInto(byte[] out, int offset) {
    Objects.checkFromIndexSize(offset, OUT_LENGTH, out.length);
    if (batchPending) {
      // The held-back batch ends the input. Its chunks are more than one, so none is the root:
      // the lanes give every chunk's value, and the last one's merges with the stack.
      batchPending = false;
      if (pendingValues == null) {
        pendingValues = new int[8 * Blake3Lanes.LANES];
      }
      LANES.get().chunkValues(pendingBatch, 0, chunkCounter, pendingValues, 0);
      for (int i = 0; i < Blake3Lanes.LANES - 1; i++) {
        System.arraycopy(pendingValues, 8 * i, v, 0, 8);
        addValue(1);
      }
      System.arraycopy(pendingValues, 8 * (Blake3Lanes.LANES - 1), v, 0, 8);
      mergeToRoot();
    } else {
      Arrays.fill(blockBytes, blockLength, BLOCK, (byte) 0);
      if (stackSize == 0) {
        compress(cv, block, 0, chunkCounter, blockLength, chunkFlags() | ROOT);
      } else {
        compress(cv, block, 0, chunkCounter, blockLength, chunkFlags());
        mergeToRoot();
      }
    }
    writeWords(v, 0, out, offset);
    reset();
  }

  /**
   * Merges the value of the last chunk (in {@code v[0..7]}, the stack not empty) with the stack,
   * right to left; the last merge is the root, whose output is left in {@code v[0..7]}.
   */
  private void mergeToRoot() {
    for (int i = stackSize - 1; i >= 0; i--) {
      writeWords(stack, 8 * i, parentBytes, 0);
      writeWords(v, 0, parentBytes, 32);
      compress(IV, parentBlock, 0, 0, BLOCK, i == 0 ? PARENT | ROOT : PARENT);
    }
  }

  @Override
  public HashCode finish() {
    byte[] out = new byte[OUT_LENGTH];
    finishInto(out, 0);
    return HashCode.of(out);
  }

  private static void writeWords(int[] words, int from, byte[] out, int offset) {
    for (int i = 0; i < 8; i++) {
      LE_INT.set(out, offset + 4 * i, words[from + i]);
    }
  }

  /**
   * The compression function; leaves its first eight output words (the new chaining value, or the
   * root hash) in {@code v[0..7]}.
   */
  private void compress(
      int[] cvIn, MemorySegment input, long offset, long counter, int length, int flags) {
    int[] v = this.v;
    System.arraycopy(cvIn, 0, v, 0, 8);
    v[8] = IV[0];
    v[9] = IV[1];
    v[10] = IV[2];
    v[11] = IV[3];
    v[12] = (int) counter;
    v[13] = (int) (counter >>> 32);
    v[14] = length;
    v[15] = flags;
    roundsZeroToThree(input, offset);
    roundsFourToSix(input, offset);
    for (int i = 0; i < 8; i++) {
      v[i] ^= v[i + 8];
    }
  }

  /** Rounds 0..3 on the working vector {@link #v}; message word order permuted per round. */
  private void roundsZeroToThree(MemorySegment block, long offset) {
    int[] v = this.v;
    int m0 = block.get(LE_WORD, offset + 0);
    int m1 = block.get(LE_WORD, offset + 4);
    int m2 = block.get(LE_WORD, offset + 8);
    int m3 = block.get(LE_WORD, offset + 12);
    int m4 = block.get(LE_WORD, offset + 16);
    int m5 = block.get(LE_WORD, offset + 20);
    int m6 = block.get(LE_WORD, offset + 24);
    int m7 = block.get(LE_WORD, offset + 28);
    int m8 = block.get(LE_WORD, offset + 32);
    int m9 = block.get(LE_WORD, offset + 36);
    int m10 = block.get(LE_WORD, offset + 40);
    int m11 = block.get(LE_WORD, offset + 44);
    int m12 = block.get(LE_WORD, offset + 48);
    int m13 = block.get(LE_WORD, offset + 52);
    int m14 = block.get(LE_WORD, offset + 56);
    int m15 = block.get(LE_WORD, offset + 60);
    int v0 = v[0];
    int v1 = v[1];
    int v2 = v[2];
    int v3 = v[3];
    int v4 = v[4];
    int v5 = v[5];
    int v6 = v[6];
    int v7 = v[7];
    int v8 = v[8];
    int v9 = v[9];
    int v10 = v[10];
    int v11 = v[11];
    int v12 = v[12];
    int v13 = v[13];
    int v14 = v[14];
    int v15 = v[15];
    // round 0
    v0 += v4 + m0;
    v12 = Integer.rotateRight(v12 ^ v0, 16);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 12);
    v0 += v4 + m1;
    v12 = Integer.rotateRight(v12 ^ v0, 8);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 7);
    v1 += v5 + m2;
    v13 = Integer.rotateRight(v13 ^ v1, 16);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 12);
    v1 += v5 + m3;
    v13 = Integer.rotateRight(v13 ^ v1, 8);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 7);
    v2 += v6 + m4;
    v14 = Integer.rotateRight(v14 ^ v2, 16);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 12);
    v2 += v6 + m5;
    v14 = Integer.rotateRight(v14 ^ v2, 8);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 7);
    v3 += v7 + m6;
    v15 = Integer.rotateRight(v15 ^ v3, 16);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 12);
    v3 += v7 + m7;
    v15 = Integer.rotateRight(v15 ^ v3, 8);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 7);
    v0 += v5 + m8;
    v15 = Integer.rotateRight(v15 ^ v0, 16);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 12);
    v0 += v5 + m9;
    v15 = Integer.rotateRight(v15 ^ v0, 8);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 7);
    v1 += v6 + m10;
    v12 = Integer.rotateRight(v12 ^ v1, 16);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 12);
    v1 += v6 + m11;
    v12 = Integer.rotateRight(v12 ^ v1, 8);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 7);
    v2 += v7 + m12;
    v13 = Integer.rotateRight(v13 ^ v2, 16);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 12);
    v2 += v7 + m13;
    v13 = Integer.rotateRight(v13 ^ v2, 8);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 7);
    v3 += v4 + m14;
    v14 = Integer.rotateRight(v14 ^ v3, 16);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 12);
    v3 += v4 + m15;
    v14 = Integer.rotateRight(v14 ^ v3, 8);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 7);
    // round 1
    v0 += v4 + m2;
    v12 = Integer.rotateRight(v12 ^ v0, 16);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 12);
    v0 += v4 + m6;
    v12 = Integer.rotateRight(v12 ^ v0, 8);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 7);
    v1 += v5 + m3;
    v13 = Integer.rotateRight(v13 ^ v1, 16);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 12);
    v1 += v5 + m10;
    v13 = Integer.rotateRight(v13 ^ v1, 8);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 7);
    v2 += v6 + m7;
    v14 = Integer.rotateRight(v14 ^ v2, 16);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 12);
    v2 += v6 + m0;
    v14 = Integer.rotateRight(v14 ^ v2, 8);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 7);
    v3 += v7 + m4;
    v15 = Integer.rotateRight(v15 ^ v3, 16);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 12);
    v3 += v7 + m13;
    v15 = Integer.rotateRight(v15 ^ v3, 8);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 7);
    v0 += v5 + m1;
    v15 = Integer.rotateRight(v15 ^ v0, 16);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 12);
    v0 += v5 + m11;
    v15 = Integer.rotateRight(v15 ^ v0, 8);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 7);
    v1 += v6 + m12;
    v12 = Integer.rotateRight(v12 ^ v1, 16);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 12);
    v1 += v6 + m5;
    v12 = Integer.rotateRight(v12 ^ v1, 8);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 7);
    v2 += v7 + m9;
    v13 = Integer.rotateRight(v13 ^ v2, 16);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 12);
    v2 += v7 + m14;
    v13 = Integer.rotateRight(v13 ^ v2, 8);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 7);
    v3 += v4 + m15;
    v14 = Integer.rotateRight(v14 ^ v3, 16);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 12);
    v3 += v4 + m8;
    v14 = Integer.rotateRight(v14 ^ v3, 8);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 7);
    // round 2
    v0 += v4 + m3;
    v12 = Integer.rotateRight(v12 ^ v0, 16);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 12);
    v0 += v4 + m4;
    v12 = Integer.rotateRight(v12 ^ v0, 8);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 7);
    v1 += v5 + m10;
    v13 = Integer.rotateRight(v13 ^ v1, 16);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 12);
    v1 += v5 + m12;
    v13 = Integer.rotateRight(v13 ^ v1, 8);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 7);
    v2 += v6 + m13;
    v14 = Integer.rotateRight(v14 ^ v2, 16);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 12);
    v2 += v6 + m2;
    v14 = Integer.rotateRight(v14 ^ v2, 8);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 7);
    v3 += v7 + m7;
    v15 = Integer.rotateRight(v15 ^ v3, 16);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 12);
    v3 += v7 + m14;
    v15 = Integer.rotateRight(v15 ^ v3, 8);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 7);
    v0 += v5 + m6;
    v15 = Integer.rotateRight(v15 ^ v0, 16);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 12);
    v0 += v5 + m5;
    v15 = Integer.rotateRight(v15 ^ v0, 8);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 7);
    v1 += v6 + m9;
    v12 = Integer.rotateRight(v12 ^ v1, 16);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 12);
    v1 += v6 + m0;
    v12 = Integer.rotateRight(v12 ^ v1, 8);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 7);
    v2 += v7 + m11;
    v13 = Integer.rotateRight(v13 ^ v2, 16);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 12);
    v2 += v7 + m15;
    v13 = Integer.rotateRight(v13 ^ v2, 8);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 7);
    v3 += v4 + m8;
    v14 = Integer.rotateRight(v14 ^ v3, 16);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 12);
    v3 += v4 + m1;
    v14 = Integer.rotateRight(v14 ^ v3, 8);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 7);
    // round 3
    v0 += v4 + m10;
    v12 = Integer.rotateRight(v12 ^ v0, 16);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 12);
    v0 += v4 + m7;
    v12 = Integer.rotateRight(v12 ^ v0, 8);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 7);
    v1 += v5 + m12;
    v13 = Integer.rotateRight(v13 ^ v1, 16);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 12);
    v1 += v5 + m9;
    v13 = Integer.rotateRight(v13 ^ v1, 8);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 7);
    v2 += v6 + m14;
    v14 = Integer.rotateRight(v14 ^ v2, 16);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 12);
    v2 += v6 + m3;
    v14 = Integer.rotateRight(v14 ^ v2, 8);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 7);
    v3 += v7 + m13;
    v15 = Integer.rotateRight(v15 ^ v3, 16);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 12);
    v3 += v7 + m15;
    v15 = Integer.rotateRight(v15 ^ v3, 8);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 7);
    v0 += v5 + m4;
    v15 = Integer.rotateRight(v15 ^ v0, 16);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 12);
    v0 += v5 + m0;
    v15 = Integer.rotateRight(v15 ^ v0, 8);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 7);
    v1 += v6 + m11;
    v12 = Integer.rotateRight(v12 ^ v1, 16);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 12);
    v1 += v6 + m2;
    v12 = Integer.rotateRight(v12 ^ v1, 8);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 7);
    v2 += v7 + m5;
    v13 = Integer.rotateRight(v13 ^ v2, 16);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 12);
    v2 += v7 + m8;
    v13 = Integer.rotateRight(v13 ^ v2, 8);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 7);
    v3 += v4 + m1;
    v14 = Integer.rotateRight(v14 ^ v3, 16);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 12);
    v3 += v4 + m6;
    v14 = Integer.rotateRight(v14 ^ v3, 8);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 7);
    v[0] = v0;
    v[1] = v1;
    v[2] = v2;
    v[3] = v3;
    v[4] = v4;
    v[5] = v5;
    v[6] = v6;
    v[7] = v7;
    v[8] = v8;
    v[9] = v9;
    v[10] = v10;
    v[11] = v11;
    v[12] = v12;
    v[13] = v13;
    v[14] = v14;
    v[15] = v15;
  }

  /** Rounds 4..6 on the working vector {@link #v}. */
  private void roundsFourToSix(MemorySegment block, long offset) {
    int[] v = this.v;
    int m0 = block.get(LE_WORD, offset + 0);
    int m1 = block.get(LE_WORD, offset + 4);
    int m2 = block.get(LE_WORD, offset + 8);
    int m3 = block.get(LE_WORD, offset + 12);
    int m4 = block.get(LE_WORD, offset + 16);
    int m5 = block.get(LE_WORD, offset + 20);
    int m6 = block.get(LE_WORD, offset + 24);
    int m7 = block.get(LE_WORD, offset + 28);
    int m8 = block.get(LE_WORD, offset + 32);
    int m9 = block.get(LE_WORD, offset + 36);
    int m10 = block.get(LE_WORD, offset + 40);
    int m11 = block.get(LE_WORD, offset + 44);
    int m12 = block.get(LE_WORD, offset + 48);
    int m13 = block.get(LE_WORD, offset + 52);
    int m14 = block.get(LE_WORD, offset + 56);
    int m15 = block.get(LE_WORD, offset + 60);
    int v0 = v[0];
    int v1 = v[1];
    int v2 = v[2];
    int v3 = v[3];
    int v4 = v[4];
    int v5 = v[5];
    int v6 = v[6];
    int v7 = v[7];
    int v8 = v[8];
    int v9 = v[9];
    int v10 = v[10];
    int v11 = v[11];
    int v12 = v[12];
    int v13 = v[13];
    int v14 = v[14];
    int v15 = v[15];
    // round 4
    v0 += v4 + m12;
    v12 = Integer.rotateRight(v12 ^ v0, 16);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 12);
    v0 += v4 + m13;
    v12 = Integer.rotateRight(v12 ^ v0, 8);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 7);
    v1 += v5 + m9;
    v13 = Integer.rotateRight(v13 ^ v1, 16);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 12);
    v1 += v5 + m11;
    v13 = Integer.rotateRight(v13 ^ v1, 8);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 7);
    v2 += v6 + m15;
    v14 = Integer.rotateRight(v14 ^ v2, 16);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 12);
    v2 += v6 + m10;
    v14 = Integer.rotateRight(v14 ^ v2, 8);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 7);
    v3 += v7 + m14;
    v15 = Integer.rotateRight(v15 ^ v3, 16);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 12);
    v3 += v7 + m8;
    v15 = Integer.rotateRight(v15 ^ v3, 8);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 7);
    v0 += v5 + m7;
    v15 = Integer.rotateRight(v15 ^ v0, 16);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 12);
    v0 += v5 + m2;
    v15 = Integer.rotateRight(v15 ^ v0, 8);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 7);
    v1 += v6 + m5;
    v12 = Integer.rotateRight(v12 ^ v1, 16);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 12);
    v1 += v6 + m3;
    v12 = Integer.rotateRight(v12 ^ v1, 8);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 7);
    v2 += v7 + m0;
    v13 = Integer.rotateRight(v13 ^ v2, 16);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 12);
    v2 += v7 + m1;
    v13 = Integer.rotateRight(v13 ^ v2, 8);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 7);
    v3 += v4 + m6;
    v14 = Integer.rotateRight(v14 ^ v3, 16);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 12);
    v3 += v4 + m4;
    v14 = Integer.rotateRight(v14 ^ v3, 8);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 7);
    // round 5
    v0 += v4 + m9;
    v12 = Integer.rotateRight(v12 ^ v0, 16);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 12);
    v0 += v4 + m14;
    v12 = Integer.rotateRight(v12 ^ v0, 8);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 7);
    v1 += v5 + m11;
    v13 = Integer.rotateRight(v13 ^ v1, 16);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 12);
    v1 += v5 + m5;
    v13 = Integer.rotateRight(v13 ^ v1, 8);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 7);
    v2 += v6 + m8;
    v14 = Integer.rotateRight(v14 ^ v2, 16);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 12);
    v2 += v6 + m12;
    v14 = Integer.rotateRight(v14 ^ v2, 8);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 7);
    v3 += v7 + m15;
    v15 = Integer.rotateRight(v15 ^ v3, 16);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 12);
    v3 += v7 + m1;
    v15 = Integer.rotateRight(v15 ^ v3, 8);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 7);
    v0 += v5 + m13;
    v15 = Integer.rotateRight(v15 ^ v0, 16);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 12);
    v0 += v5 + m3;
    v15 = Integer.rotateRight(v15 ^ v0, 8);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 7);
    v1 += v6 + m0;
    v12 = Integer.rotateRight(v12 ^ v1, 16);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 12);
    v1 += v6 + m10;
    v12 = Integer.rotateRight(v12 ^ v1, 8);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 7);
    v2 += v7 + m2;
    v13 = Integer.rotateRight(v13 ^ v2, 16);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 12);
    v2 += v7 + m6;
    v13 = Integer.rotateRight(v13 ^ v2, 8);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 7);
    v3 += v4 + m4;
    v14 = Integer.rotateRight(v14 ^ v3, 16);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 12);
    v3 += v4 + m7;
    v14 = Integer.rotateRight(v14 ^ v3, 8);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 7);
    // round 6
    v0 += v4 + m11;
    v12 = Integer.rotateRight(v12 ^ v0, 16);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 12);
    v0 += v4 + m15;
    v12 = Integer.rotateRight(v12 ^ v0, 8);
    v8 += v12;
    v4 = Integer.rotateRight(v4 ^ v8, 7);
    v1 += v5 + m5;
    v13 = Integer.rotateRight(v13 ^ v1, 16);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 12);
    v1 += v5 + m0;
    v13 = Integer.rotateRight(v13 ^ v1, 8);
    v9 += v13;
    v5 = Integer.rotateRight(v5 ^ v9, 7);
    v2 += v6 + m1;
    v14 = Integer.rotateRight(v14 ^ v2, 16);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 12);
    v2 += v6 + m9;
    v14 = Integer.rotateRight(v14 ^ v2, 8);
    v10 += v14;
    v6 = Integer.rotateRight(v6 ^ v10, 7);
    v3 += v7 + m8;
    v15 = Integer.rotateRight(v15 ^ v3, 16);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 12);
    v3 += v7 + m6;
    v15 = Integer.rotateRight(v15 ^ v3, 8);
    v11 += v15;
    v7 = Integer.rotateRight(v7 ^ v11, 7);
    v0 += v5 + m14;
    v15 = Integer.rotateRight(v15 ^ v0, 16);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 12);
    v0 += v5 + m10;
    v15 = Integer.rotateRight(v15 ^ v0, 8);
    v10 += v15;
    v5 = Integer.rotateRight(v5 ^ v10, 7);
    v1 += v6 + m2;
    v12 = Integer.rotateRight(v12 ^ v1, 16);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 12);
    v1 += v6 + m12;
    v12 = Integer.rotateRight(v12 ^ v1, 8);
    v11 += v12;
    v6 = Integer.rotateRight(v6 ^ v11, 7);
    v2 += v7 + m3;
    v13 = Integer.rotateRight(v13 ^ v2, 16);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 12);
    v2 += v7 + m4;
    v13 = Integer.rotateRight(v13 ^ v2, 8);
    v8 += v13;
    v7 = Integer.rotateRight(v7 ^ v8, 7);
    v3 += v4 + m7;
    v14 = Integer.rotateRight(v14 ^ v3, 16);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 12);
    v3 += v4 + m13;
    v14 = Integer.rotateRight(v14 ^ v3, 8);
    v9 += v14;
    v4 = Integer.rotateRight(v4 ^ v9, 7);
    v[0] = v0;
    v[1] = v1;
    v[2] = v2;
    v[3] = v3;
    v[4] = v4;
    v[5] = v5;
    v[6] = v6;
    v[7] = v7;
    v[8] = v8;
    v[9] = v9;
    v[10] = v10;
    v[11] = v11;
    v[12] = v12;
    v[13] = v13;
    v[14] = v14;
    v[15] = v15;
  }
}
