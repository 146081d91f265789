package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intact.core.image.ForwardingWritableImage;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an overwrite costs the storage: journaled data reaches its home place by the storage's own
 * copy (in the kernel, for a file), not read into the process and written out again; and the
 * journal and the home data are handed to the storage for writing while the volume keeps working,
 * so the syncs wait less. Over a real file, so the kernel's copy is the one tested.
 */
class CheckpointIoTest {
  private static final int BS = 4096;

  @TempDir Path dir;

  /** The storage calls a volume makes: writes and copies by range, writeback hints, flushes. */
  static final class RecordingStore extends ForwardingWritableImage {
    final List<long[]> writes = new ArrayList<>(); // {position, length}
    final List<long[]> copies = new ArrayList<>(); // {from, to, length}
    final List<long[]> hints = new ArrayList<>(); // {position, length}
    int flushes;

    RecordingStore(WritableImage delegate) {
      super(delegate);
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
      writes.add(new long[] {position, length});
      super.write(position, src, offset, length);
    }

    @Override
    public void copyWithin(long from, long to, long length) throws IOException {
      copies.add(new long[] {from, to, length});
      delegate().copyWithin(from, to, length);
    }

    @Override
    public void startWriteback(long position, long length) throws IOException {
      hints.add(new long[] {position, length});
      super.startWriteback(position, length);
    }

    @Override
    public void flush() throws IOException {
      flushes++;
      super.flush();
    }

    void forget() {
      writes.clear();
      copies.clear();
      hints.clear();
      flushes = 0;
    }

    /** Bytes of {@code ranges} ({position, length} or {from, to, length}) inside [start, end). */
    static long bytesIn(List<long[]> ranges, int positionAt, long start, long end) {
      long sum = 0;
      for (long[] r : ranges) {
        long from = Math.max(start, r[positionAt]);
        long to = Math.min(end, r[positionAt] + r[r.length - 1]);
        sum += Math.max(0, to - from);
      }
      return sum;
    }
  }

  private static byte[] bytes(int length, long seed) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /**
   * A new volume of {@code size} in a file, over a store that records what it is asked: version 3,
   * whose overwrites all go through the journal (version 4 writes whole chunks once, elsewhere).
   */
  private static Volume create(Path path, long size, RecordingStore[] store) throws IOException {
    VolumeOptions o = VolumeOptions.of(size).withBlockSize(BS).withChunk(0);
    store[0] = new RecordingStore(LocalImage.create(path, o.geometry().storageSize()));
    return Volume.create(store[0], path.toString(), o);
  }

  @Test
  void aCheckpointCopiesSequentiallyJournaledDataHomeInsideTheStorage() throws IOException {
    Path path = dir.resolve("v");
    int length = 1 << 20;
    RecordingStore[] store = new RecordingStore[1];
    Geometry g;
    try (Volume v = create(path, 16L << 20, store)) {
      RecordingStore s = store[0];
      g = v.geometry();
      v.write(0, bytes(length, 1), 0, length); // fresh blocks: written home at once
      v.flush();
      s.forget();
      v.write(0, bytes(length, 2), 0, length); // an overwrite: journaled
    } // the close checkpoints
    RecordingStore s = store[0];
    long dataStart = g.dataOffset(0);
    long dataEnd = g.dataOffset(0) + length;
    assertEquals(0, RecordingStore.bytesIn(s.writes, 0, dataStart, dataEnd));
    assertEquals(length, RecordingStore.bytesIn(s.copies, 1, dataStart, dataEnd));
    long journalEnd = g.journalOffset() + g.journalLength();
    assertEquals(length, RecordingStore.bytesIn(s.copies, 0, g.journalOffset(), journalEnd));
    try (Volume v = Volume.open(path, false, null)) {
      byte[] got = new byte[length];
      v.readFully(0, got, 0, length);
      assertArrayEquals(bytes(length, 2), got);
      assertTrue(VolumeCheck.check(v).bad().isEmpty());
    }
  }

  @Test
  void theJournalAndTheHomeCopiesAreHandedToTheStorageBeforeTheSyncsThatNeedThem()
      throws IOException {
    Path path = dir.resolve("v");
    int length = 6 << 20;
    RecordingStore[] store = new RecordingStore[1];
    Geometry g;
    // A journal of 16 MiB: no checkpoint midway.
    try (Volume v = create(path, 128L << 20, store)) {
      RecordingStore s = store[0];
      g = v.geometry();
      v.write(0, bytes(length, 1), 0, length);
      v.flush();
      s.forget();
      v.write(0, bytes(length, 2), 0, length);
      assertEquals(0, s.flushes);
      long journalEnd = g.journalOffset() + g.journalLength();
      long hinted = RecordingStore.bytesIn(s.hints, 0, g.journalOffset(), journalEnd);
      // At least one whole batch of the records written so far, before any sync.
      assertTrue(hinted >= Journal.WRITEBACK_BATCH, "journal bytes hinted: " + hinted);
      s.forget();
    } // the close checkpoints
    RecordingStore s = store[0];
    assertEquals(
        length, RecordingStore.bytesIn(s.hints, 0, g.dataOffset(0), g.dataOffset(0) + length));
    try (Volume v = Volume.open(path, false, null)) {
      byte[] got = new byte[length];
      v.readFully(0, got, 0, length);
      assertArrayEquals(bytes(length, 2), got);
    }
  }

  @Test
  void chunksMovedToSpareChunksOneAfterAnotherAreHandedToTheStorageInBatchesNotOneByOne()
      throws IOException {
    Path path = dir.resolve("v");
    int chunk = 1 << 20;
    int chunks = 2 * Journal.WRITEBACK_BATCH / chunk;
    VolumeOptions o = VolumeOptions.of(32L << 20).withBlockSize(BS).withSpare(16L << 20);
    RecordingStore s = new RecordingStore(LocalImage.create(path, o.geometry().storageSize()));
    try (Volume v = Volume.create(s, path.toString(), o)) {
      Geometry g = v.geometry();
      assertEquals(chunk, g.chunkBlocks() * BS);
      for (int c = 0; c < chunks; c++) { // fresh blocks: written home at once
        v.write((long) c * chunk, bytes(chunk, c), 0, chunk);
      }
      v.flush();
      s.forget();
      for (int c = 0; c < chunks; c++) { // whole-chunk overwrites: moved to the spare chunks
        v.write((long) c * chunk, bytes(chunk, 100 + c), 0, chunk);
      }
      long spare = g.chunkOffset(g.chunks());
      long spareEnd = g.chunkOffset(g.chunks() + g.spareChunks());
      assertEquals((long) chunks * chunk, RecordingStore.bytesIn(s.writes, 0, spare, spareEnd));
      List<long[]> hinted = s.hints.stream().filter(h -> h[0] >= spare && h[0] < spareEnd).toList();
      assertEquals(2, hinted.size(), "one hint per batch");
      for (long[] h : hinted) {
        assertEquals(Journal.WRITEBACK_BATCH, h[1]);
      }
      assertEquals(0, s.flushes, "hinted before any sync");
    }
    try (Volume v = Volume.open(path, false, null)) {
      byte[] got = new byte[chunk];
      for (int c = 0; c < chunks; c++) {
        v.readFully((long) c * chunk, got, 0, chunk);
        assertArrayEquals(bytes(chunk, 100 + c), got, "chunk " + c);
      }
    }
  }
}
