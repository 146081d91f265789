package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intact.core.checksum.ChecksumMismatchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole-chunk overwrites (format version 4): the data goes once to a spare chunk, a REMAP record
 * commits it, and the chunk map moves at the checkpoint; the tags still bind each block to its
 * logical number, so the faults a fixed place is checked for are caught in a moved chunk too.
 */
class VolumeRemapTest {
  private static final int BS = 4096;
  private static final int CB = 4; // blocks per chunk
  private static final int CHUNKS = 4;

  private static VolumeOptions options() {
    return VolumeOptions.of((long) CHUNKS * CB * BS)
        .withChunk(CB * BS)
        .withSpare(2L * CB * BS)
        .withJournal(Geometry.minJournal(BS));
  }

  private static byte[] data(int length, long seed) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** The physical chunk the stored map names for logical chunk (or map index) {@code i}. */
  private static long stored(CrashStore s, Geometry g, long i) {
    long raw =
        ByteBuffer.wrap(s.read(g.mapOffset() + i * 8, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return raw == 0 ? i : raw - 1;
  }

  /** A volume whose every chunk holds data (chunk c from seed c), checkpointed. */
  private static CrashStore filled() throws IOException {
    CrashStore s = new CrashStore((int) options().geometry().storageSize());
    try (Volume v = Volume.create(s, "vol", options())) {
      for (int c = 0; c < CHUNKS; c++) {
        v.write((long) c * CB * BS, data(CB * BS, c), 0, CB * BS);
      }
    }
    return s;
  }

  /** Reads every block: those of chunk {@code bad} fail naming their bytes, the others read. */
  private static void onlyChunkFails(Volume v, int bad) throws IOException {
    byte[] buf = new byte[BS];
    for (long b = 0; b < (long) CHUNKS * CB; b++) {
      if (b / CB == bad) {
        long block = b;
        ChecksumMismatchException e =
            assertThrows(
                ChecksumMismatchException.class, () -> v.readFully(block * BS, buf, 0, BS));
        assertEquals(v.blockRange(b), e.range().orElseThrow());
      } else {
        v.readFully(b * BS, buf, 0, BS);
      }
    }
    assertEquals(CB, VolumeCheck.check(v).badBlocks());
  }

  @Test
  void aWholeChunkOverwriteIsWrittenOnceToASpareChunkAndItsOldPlaceIsLeftAlone()
      throws IOException {
    CrashStore s = filled();
    Geometry g = options().geometry();
    byte[] old = s.read(g.chunkOffset(1), CB * BS);
    CheckpointIoTest.RecordingStore r = new CheckpointIoTest.RecordingStore(s);
    try (Volume v = Volume.open(r, "vol", true, null)) {
      r.forget();
      v.write(CB * BS, data(CB * BS, 100), 0, CB * BS);
      v.flush();
      long journalEnd = g.journalOffset() + g.journalLength();
      assertEquals(
          2 * 512,
          CheckpointIoTest.RecordingStore.bytesIn(r.writes, 0, g.journalOffset(), journalEnd),
          "the journal gets a REMAP record of tags and its COMMIT, one sector each");
    } // the close checkpoints: the map moves, no data is copied
    long dataBytes = CheckpointIoTest.RecordingStore.bytesIn(r.writes, 0, g.dataOffset(), s.size());
    assertEquals(CB * BS, dataBytes, "the chunk's data is written once, to the spare chunk");
    assertEquals(0, r.copies.size());
    assertArrayEquals(old, s.read(g.chunkOffset(1), CB * BS), "its old place is left as it was");
    long moved = stored(s, g, 1);
    assertEquals(CHUNKS, moved, "the first spare chunk");
    assertEquals(1, stored(s, g, CHUNKS), "the first slot holds the chunk left behind");
    try (Volume v = Volume.open(s, "vol", false, null)) {
      byte[] got = new byte[CB * BS];
      v.readFully(CB * BS, got, 0, got.length);
      assertArrayEquals(data(CB * BS, 100), got);
      assertTrue(VolumeCheck.check(v).clean());
    }
  }

  @Test
  void aChunkFreedByAMoveIsTakenOnlyAfterTheCheckpointAndItsNewDataReads() throws IOException {
    CrashStore s = filled();
    Geometry g = options().geometry();
    try (Volume v = Volume.open(s, "vol", true, null)) {
      // Three moves with two slots: the third needs a checkpoint, which frees chunk 0's place.
      for (int c = 0; c < 3; c++) {
        v.write((long) c * CB * BS, data(CB * BS, 200 + c), 0, CB * BS);
      }
    }
    assertEquals(CHUNKS, stored(s, g, 0));
    assertEquals(CHUNKS + 1, stored(s, g, 1));
    assertEquals(0, stored(s, g, 2), "chunk 2 took the place chunk 0 left, after the checkpoint");
    try (Volume v = Volume.open(s, "vol", false, null)) {
      for (int c = 0; c < CHUNKS; c++) {
        byte[] got = new byte[CB * BS];
        v.readFully((long) c * CB * BS, got, 0, got.length);
        assertArrayEquals(data(CB * BS, c < 3 ? 200 + c : c), got, "chunk " + c);
      }
    }
  }

  /** What chunks 1 and 2 of {@link #filled} hold after {@link #moveZeroAndRewrite}. */
  private static byte[] movedZeroedRewritten() {
    byte[] want = data(2 * CB * BS, 300);
    Arrays.fill(want, BS, 3 * BS, (byte) 0); // chunk 1: blocks 1 and 2 zeroed
    System.arraycopy(data(BS, 301), 0, want, 2 * BS, BS); // chunk 1: block 2 rewritten
    System.arraycopy(data(BS, 302), 0, want, 3 * BS, BS); // chunk 1: block 3 rewritten
    System.arraycopy(data(BS, 303), 0, want, (CB + 1) * BS, BS); // chunk 2: block 1 rewritten
    return want;
  }

  /**
   * Chunks 1 and 2 moved whole; then two blocks of chunk 1 zeroed, and one of those and one
   * untouched block rewritten; one block of chunk 2 rewritten; all in one journal epoch: each
   * block's newest state wins, whichever of move, zeroing or write it came from.
   */
  private static void moveZeroAndRewrite(Volume v) throws IOException {
    long at = (long) CB * BS;
    v.write(at, data(2 * CB * BS, 300), 0, 2 * CB * BS);
    v.zero(at + BS, 2L * BS);
    v.write(at + 2 * BS, data(BS, 301), 0, BS);
    v.write(at + 3 * BS, data(BS, 302), 0, BS);
    v.write(at + (CB + 1) * BS, data(BS, 303), 0, BS);
  }

  private static void chunksOneAndTwoRead(Volume v, byte[] want, String when) throws IOException {
    byte[] got = new byte[2 * CB * BS];
    v.readFully((long) CB * BS, got, 0, got.length);
    assertArrayEquals(want, got, when);
    assertEquals(0, VolumeCheck.check(v).badBlocks(), when);
  }

  @Test
  void movedChunksPartlyZeroedAndRewrittenReadTheirNewestBlocksBeforeAndAfterTheCheckpoint()
      throws IOException {
    CrashStore s = filled();
    byte[] want = movedZeroedRewritten();
    try (Volume v = Volume.open(s, "vol", true, null)) {
      moveZeroAndRewrite(v);
      chunksOneAndTwoRead(v, want, "in the open epoch");
      assertTrue(v.extentAt((long) CB * BS + BS, (long) CB * BS + 2 * BS).zero(), "block 1");
    }
    try (Volume v = Volume.open(s, "vol", false, null)) {
      chunksOneAndTwoRead(v, want, "after the closing checkpoint");
    }
  }

  @Test
  void movedChunksPartlyZeroedAndRewrittenReplayToTheirNewestBlocks() throws IOException {
    CrashStore s = filled();
    try (Volume v = Volume.open(s, "vol", true, null)) {
      moveZeroAndRewrite(v);
      v.flush();
      // The process dies here: the reboot finds what the flush made durable.
      CrashStore rebooted = new CrashStore(s.crash(new SplittableRandom(7)));
      try (Volume r = Volume.open(rebooted, "vol", false, null)) {
        chunksOneAndTwoRead(r, movedZeroedRewritten(), "replayed read-only");
      }
      try (Volume r = Volume.open(rebooted, "vol", true, null)) {
        chunksOneAndTwoRead(r, movedZeroedRewritten(), "replayed and checkpointed");
      }
    }
  }

  @Test
  void aLostDataWriteToASpareChunkFails() throws IOException {
    CrashStore s = filled();
    Geometry g = options().geometry();
    try (Volume v = Volume.open(s, "vol", true, null)) {
      v.write(CB * BS, data(CB * BS, 100), 0, CB * BS); // chunk 1 leaves physical chunk 1
    }
    // Chunk 2's overwrite takes physical chunk 1, which still holds chunk 1's old data.
    byte[] before = s.read(g.chunkOffset(1), CB * BS);
    try (Volume v = Volume.open(s, "vol", true, null)) {
      v.write(2L * CB * BS, data(CB * BS, 101), 0, CB * BS);
    }
    assertEquals(1, stored(s, g, 2));
    s.overwrite(g.chunkOffset(1), before); // the storage dropped the data write
    try (Volume v = Volume.open(s, "vol", false, null)) {
      onlyChunkFails(v, 2);
    }
  }

  @Test
  void dataMisdirectedIntoAMovedChunkFails() throws IOException {
    CrashStore s = filled();
    Geometry g = options().geometry();
    try (Volume v = Volume.open(s, "vol", true, null)) {
      v.write(3L * CB * BS, data(CB * BS, 100), 0, CB * BS);
    }
    long at = stored(s, g, 3);
    assertNotEquals(3, at);
    // Chunk 0's blocks, with their own valid tags elsewhere, written where chunk 3 now lies.
    s.overwrite(g.chunkOffset(at), s.read(g.chunkOffset(0), CB * BS));
    try (Volume v = Volume.open(s, "vol", false, null)) {
      onlyChunkFails(v, 3);
    }
  }

  @Test
  void aDamagedChunkMapEntryFailsThatChunksReadsAndRefusesAWritableOpen() throws IOException {
    CrashStore s = filled();
    Geometry g = options().geometry();
    // Chunk 1 pointed at chunk 2's place: its reads find chunk 2's blocks, which fail its tags.
    byte[] entry = new byte[8];
    ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).putLong(2 + 1);
    s.overwrite(g.mapOffset() + 8, entry);
    try (Volume v = Volume.open(s, "vol", false, null)) {
      onlyChunkFails(v, 1);
    }
    VolumeFormatException e =
        assertThrows(VolumeFormatException.class, () -> Volume.open(s, "vol", true, null));
    assertEquals(
        "vol: the chunk map is damaged: its entries are not a permutation", e.getMessage());
  }

  @Test
  void aVersion3VolumeJournalsWholeChunkOverwritesAndStaysVersion3() throws IOException {
    VolumeOptions o = VolumeOptions.of(2L << 20).withChunk(0).withJournal(4L << 20);
    Geometry g = o.geometry();
    assertEquals(g.dataOffset() + g.size(), g.storageSize(), "no chunk map, no spare chunks");
    CrashStore s = new CrashStore((int) g.storageSize());
    try (Volume v = Volume.create(s, "vol", o)) {
      v.write(0, data(1 << 20, 1), 0, 1 << 20);
      v.flush();
      v.write(0, data(1 << 20, 2), 0, 1 << 20);
      v.flush();
      byte[] journal = s.read(g.journalOffset(), (int) g.journalLength());
      assertTrue(
          indexOf(journal, data(1 << 20, 2), 4096) >= 0, "the overwrite's data is in the journal");
    }
    try (Volume v = Volume.open(s, "vol", true, null)) {
      assertEquals(Superblock.UNMAPPED, v.superblock().version());
      byte[] got = new byte[1 << 20];
      v.readFully(0, got, 0, got.length);
      assertArrayEquals(data(1 << 20, 2), got);
    }
    assertArrayEquals(data(1 << 20, 2), s.read(g.dataOffset(0), 1 << 20), "at its fixed place");
  }

  @Test
  void theSuperblockKeepsTheChunkSizeAndSpareCountOnlyInVersion4() throws IOException {
    Geometry g = options().geometry();
    CrashStore s = new CrashStore((int) g.storageSize());
    Volume.create(s, "vol", options()).close();
    byte[] sector = s.read(0, SuperblockCodec.SIZE);
    Superblock sb = SuperblockCodec.decode(sector, "vol");
    assertEquals(Superblock.VERSION, sb.version());
    assertEquals(g, sb.geometry());
    assertEquals(CB * BS, sb.geometry().chunkSize());
    assertEquals(2, sb.geometry().spareChunks());
    ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(8, Superblock.UNMAPPED); // a version-3 superblock with chunk fields set
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(sector, 0, 508);
    b.putInt(508, (int) crc.getValue());
    VolumeFormatException e =
        assertThrows(VolumeFormatException.class, () -> SuperblockCodec.decode(sector, "vol"));
    assertEquals(
        "vol: format version 3 has no chunk map, but its chunk fields are set", e.getMessage());
  }

  @Test
  void theFuzzSeedsHoldAVersion4SuperblockAndAREMAPRecord() throws IOException {
    String seeds = "/dev/intact/core/volume/";
    Superblock sb =
        SuperblockCodec.decode(
            resource(seeds + "SuperblockCodecFuzzTestInputs/decode/valid-v4"), "seed");
    assertEquals(4, sb.version());
    assertEquals(4, sb.geometry().spareChunks());
    JournalRecord r =
        JournalCodec.decode(
            resource(seeds + "JournalCodecFuzzTestInputs/decode/remap"),
            4,
            JournalCodec.Bounds.of(4096),
            1000);
    assertEquals(JournalRecord.REMAP, r.type());
    assertEquals(List.of(9L, 1L, 2), List.of(r.start(), r.from(), r.slot()));
  }

  private static byte[] resource(String name) throws IOException {
    try (java.io.InputStream in = VolumeRemapTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  /** Where the first {@code n} bytes of {@code needle} start in {@code hay}, or -1. */
  private static int indexOf(byte[] hay, byte[] needle, int n) {
    outer:
    for (int i = 0; i + n <= hay.length; i += 512) {
      for (int j = 0; j < n; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
