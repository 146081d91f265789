package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.testing.MemoryImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The volume's tag page cache never serves a tag the store no longer holds: random writes, trims,
 * zeroing, flushes, checkpoints and repairs, each checked against a model of the content and, at
 * every flush, against a fresh (uncached) read-only open of the same storage.
 */
class VolumeTagCacheTest {
  private static final int BS = 512;
  private static final int BLOCKS =
      2048; // a tag area of 10,240 bytes: three pages, entries astride

  private static VolumeOptions options() {
    return VolumeOptions.of((long) BLOCKS * BS)
        .withBlockSize(BS)
        .withJournal(Geometry.minJournal(BS)); // small: writes checkpoint often
  }

  private static void assertReads(Volume v, byte[] model, long at, int n) throws IOException {
    byte[] got = new byte[n];
    v.readFully(at, got, 0, n);
    assertArrayEquals(
        Arrays.copyOfRange(model, (int) at, (int) at + n), got, "at " + at + " +" + n);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void theCacheNeverServesAStaleTag(long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    int size = BLOCKS * BS;
    byte[] model = new byte[size];
    CrashStore s = new CrashStore((int) options().geometry().storageSize());
    try (Volume v = Volume.create(s, "vol", options())) {
      for (int op = 0; op < 400; op++) {
        int at = r.nextInt(size);
        // Mostly short ranges (a few blocks, often partial) so blocks are hit again and again.
        int n = Math.min(size - at, 1 + r.nextInt(r.nextInt(8) == 0 ? 64 * BS : 4 * BS));
        switch (r.nextInt(10)) {
          case 0, 1, 2 -> {
            byte[] data = new byte[n];
            r.nextBytes(data);
            v.write(at, data, 0, n);
            System.arraycopy(data, 0, model, at, n);
          }
          case 3 -> {
            if (r.nextBoolean()) {
              v.zero(at, n); // trim: the data area may be deallocated
            } else {
              v.zeroAllocated(at, n);
            }
            Arrays.fill(model, at, at + n, (byte) 0);
          }
          case 4 -> {
            v.flush();
            try (Volume fresh = Volume.open(s, "fresh", false, null)) {
              assertReads(fresh, model, 0, size);
            }
          }
          case 5 -> v.recordScrub(op, 0); // a checkpoint: pending tags go to the tag area
          case 6 -> repairOneBlock(v, s, model, r);
          default -> assertReads(v, model, at, n); // fills the cache
        }
        assertReads(v, model, at, n);
      }
      assertReads(v, model, 0, size);
      assertTrue(VolumeCheck.check(v).clean());
    }
  }

  /** Rots one block that holds data at home, then repairs it from the model. */
  private static void repairOneBlock(Volume v, CrashStore s, byte[] model, SplittableRandom r)
      throws IOException {
    v.recordScrub(0, 0); // checkpoint: every block's data and tag at home
    Geometry g = v.geometry();
    long b = r.nextInt(BLOCKS);
    while (allZero(model, (int) b * BS, BS)) {
      if (++b == BLOCKS) {
        return; // nothing written yet
      }
    }
    long block = b;
    assertReads(v, model, block * BS, BS); // its entry is cached
    byte[] rot = s.read(g.dataOffset(block) + 7, 1);
    rot[0] ^= 0x20;
    s.overwrite(g.dataOffset(block) + 7, rot);
    assertThrows(
        ChecksumMismatchException.class, () -> v.readFully(block * BS, new byte[BS], 0, BS));
    VolumeRepair.Result result = VolumeRepair.repair(v, new MemoryImage("model", model.clone()));
    assertEquals(block, result.before().bad().getFirst().first());
    assertTrue(result.after().isEmpty());
  }

  private static boolean allZero(byte[] b, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aRepeatedRandomReadReadsOnlyTheDataNotTheTagArea() throws IOException {
    VolumeOptions o = VolumeOptions.of(4096L * 4096).withBlockSize(4096);
    CrashStore s = new CrashStore((int) o.geometry().storageSize());
    byte[] block = new byte[4096];
    try (Volume v = Volume.create(s, "vol", o)) {
      for (long b = 0; b < 4096; b += 17) {
        new SplittableRandom(b).nextBytes(block);
        v.write(b * 4096, block, 0, 4096);
      }
    }
    try (Volume v = Volume.open(s, "vol", false, null)) {
      SplittableRandom r = new SplittableRandom(9);
      for (int i = 0; i < 100; i++) {
        long b = r.nextInt(4096 / 17) * 17L;
        v.readFully(b * 4096, block, 0, 4096); // the first read of its page loads it
        int before = s.reads();
        v.extentAt(b * 4096, (b + 1) * 4096); // as the NBD server does before a read
        v.readFully(b * 4096, block, 0, 4096);
        assertEquals(1, s.reads() - before, "block " + b + ": its data only");
        byte[] want = new byte[4096];
        new SplittableRandom(b).nextBytes(want);
        assertArrayEquals(want, block);
      }
    }
  }

  /**
   * A tag entry that rots on disk after its page was cached: served reads still return the data
   * verified against the tag the volume wrote (the right data), and read-back and check, which read
   * the entries from the store, report the block.
   */
  @Test
  void aTagEntryRottedAfterCachingIsFoundByReadBackAndCheck() throws IOException {
    VolumeOptions o = VolumeOptions.of(64L * 4096).withBlockSize(4096);
    CrashStore s = new CrashStore((int) o.geometry().storageSize());
    byte[] data = new byte[4096];
    new SplittableRandom(5).nextBytes(data);
    try (Volume v = Volume.create(s, "vol", o)) {
      v.write(3 * 4096, data, 0, 4096);
      v.recordScrub(0, 0); // checkpoint: the tag is in the tag area
      byte[] got = new byte[4096];
      v.readFully(3 * 4096, got, 0, 4096);
      Geometry g = v.geometry();
      byte[] entry = s.read(g.entryOffset(3) + 2, 1);
      entry[0] ^= 1;
      s.overwrite(g.entryOffset(3) + 2, entry);
      v.readFully(3 * 4096, got, 0, 4096);
      assertArrayEquals(data, got, "the data the volume wrote, verified against its tag");
      assertThrows(ChecksumMismatchException.class, () -> v.readDirect(3 * 4096, got, 0, 4096));
      VolumeCheck.Report report = VolumeCheck.check(v);
      assertEquals(1, report.bad().size());
      assertEquals(3, report.bad().getFirst().first());
    }
  }
}
