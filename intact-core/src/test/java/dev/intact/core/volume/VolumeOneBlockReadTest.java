package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.intact.core.image.Extent;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A one-block read (a 4 KiB NBD request) looks its block up in the open epoch alone, not through a
 * range of it; it must see what a read of many blocks sees, whatever mix of journaled blocks, whole
 * chunks moved to spare chunks and zeroed runs the epoch holds.
 */
class VolumeOneBlockReadTest {
  private static final int BS = 4096;
  private static final int CB = 4; // blocks per chunk
  private static final int CHUNKS = 6;
  private static final int BLOCKS = CHUNKS * CB;

  private static VolumeOptions options() {
    return VolumeOptions.of((long) BLOCKS * BS)
        .withChunk(CB * BS)
        .withSpare(2L * CB * BS)
        .withJournal(Geometry.minJournal(BS));
  }

  @Test
  void oneBlockReadsAndExtentsAgreeWithWholeVolumeReadsAfterRandomWritesMovesAndZeroes()
      throws IOException {
    for (long seed = 0; seed < 200; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      byte[] model = new byte[BLOCKS * BS];
      boolean[] zeroed = new boolean[BLOCKS]; // zeroed in the metadata since the last write
      Arrays.fill(zeroed, true);
      CrashStore s = new CrashStore((int) options().geometry().storageSize());
      Volume v = Volume.create(s, "vol", options());
      try {
        for (int op = 0; op < 16; op++) {
          int kind = rnd.nextInt(4);
          if (kind == 0) { // whole chunks: moved once the chunk holds something
            int c = rnd.nextInt(CHUNKS);
            int n = 1 + rnd.nextInt(Math.min(2, CHUNKS - c));
            write(v, model, zeroed, c * CB, n * CB, rnd);
          } else if (kind == 1) { // single blocks: journaled, or written in place
            int b = rnd.nextInt(BLOCKS);
            write(v, model, zeroed, b, 1 + rnd.nextInt(Math.min(3, BLOCKS - b)), rnd);
          } else if (kind == 2) { // closed (checkpointed) and opened: the epoch starts empty
            v.close();
            v = Volume.open(s, "vol", true, null);
          } else { // a zeroed run, across chunk boundaries
            int b = rnd.nextInt(BLOCKS);
            int n = 1 + rnd.nextInt(Math.min(CB + 2, BLOCKS - b));
            v.zero((long) b * BS, (long) n * BS);
            Arrays.fill(model, b * BS, (b + n) * BS, (byte) 0);
            Arrays.fill(zeroed, b, b + n, true);
          }
          check(v, model, zeroed, seed);
        }
      } finally {
        v.close();
      }
    }
  }

  private static void write(
      Volume v, byte[] model, boolean[] zeroed, int first, int n, SplittableRandom rnd)
      throws IOException {
    byte[] data = new byte[n * BS];
    rnd.nextBytes(data);
    v.write((long) first * BS, data, 0, data.length);
    System.arraycopy(data, 0, model, first * BS, data.length);
    Arrays.fill(zeroed, first, first + n, false);
  }

  private static void check(Volume v, byte[] model, boolean[] zeroed, long seed)
      throws IOException {
    byte[] all = new byte[model.length];
    v.readFully(0, all, 0, all.length);
    assertArrayEquals(model, all, "whole-volume read, seed " + seed);
    byte[] one = new byte[BS];
    for (int b = 0; b < BLOCKS; b++) {
      v.readFully((long) b * BS, one, 0, BS);
      assertArrayEquals(
          Arrays.copyOfRange(model, b * BS, (b + 1) * BS), one, "block " + b + ", seed " + seed);
      Extent x = v.extentAt((long) b * BS, (long) (b + 1) * BS);
      assertEquals(zeroed[b], x.zero(), "extent of block " + b + ", seed " + seed);
    }
  }
}
