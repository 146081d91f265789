package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.image.Extent;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A volume over memory storage, and the faults its tags must catch. */
class VolumeTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int BLOCKS = 16;

  private static VolumeOptions options(int bs, TagAlgorithm alg) {
    return VolumeOptions.of((long) BLOCKS * bs)
        .withBlockSize(bs)
        .withTags(alg, alg.keyed() ? KEY : null)
        .withJournal(Geometry.minJournal(bs));
  }

  private static CrashStore store(VolumeOptions o) {
    return new CrashStore((int) o.geometry().storageSize());
  }

  private static byte[] block(int bs, long seed) {
    byte[] b = new byte[bs];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static Volume reopen(CrashStore s, TagAlgorithm alg) throws IOException {
    return Volume.open(s, "vol", true, alg.keyed() ? KEY : null);
  }

  /** Reading {@code bad} fails naming its bytes; every other block reads; check names only it. */
  private static void onlyBlockFails(Volume v, long bad) throws IOException {
    int bs = v.geometry().blockSize();
    byte[] buf = new byte[bs];
    for (long b = 0; b < BLOCKS; b++) {
      if (b == bad) {
        ChecksumMismatchException e =
            assertThrows(ChecksumMismatchException.class, () -> v.readFully(bad * bs, buf, 0, bs));
        assertEquals(v.blockRange(bad), e.range().orElseThrow());
        assertEquals("vol", e.resource());
      } else {
        v.readFully(b * bs, buf, 0, bs);
      }
    }
    VolumeCheck.Report r = VolumeCheck.check(v);
    assertEquals(1, r.bad().size());
    assertEquals(bad, r.bad().getFirst().first());
    assertEquals(bad, r.bad().getFirst().last());
  }

  @ParameterizedTest
  @EnumSource(TagAlgorithm.class)
  void writtenBlocksReadBackAfterReopenWithEveryTagAlgorithm(TagAlgorithm alg) throws IOException {
    for (int bs : new int[] {512, 4096, 65536}) {
      VolumeOptions o = options(bs, alg);
      CrashStore s = store(o);
      try (Volume v = Volume.create(s, "vol", o)) {
        v.write(3L * bs, block(bs, 3), 0, bs);
        v.write(5L * bs + 7, block(100, 5), 0, 100);
      }
      try (Volume v = reopen(s, alg)) {
        byte[] got = new byte[bs];
        v.readFully(3L * bs, got, 0, bs);
        assertArrayEquals(block(bs, 3), got);
        byte[] part = new byte[100];
        v.readFully(5L * bs + 7, part, 0, 100);
        assertArrayEquals(block(100, 5), part);
        assertTrue(VolumeCheck.check(v).clean());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {512, 4096})
  void unwrittenAndTrimmedBlocksAreZeroExtentsAndReadAsZeros(int bs) throws IOException {
    VolumeOptions o = options(bs, TagAlgorithm.CRC32C);
    CrashStore s = store(o);
    try (Volume v = Volume.create(s, "vol", o)) {
      assertEquals(new Extent(0, BLOCKS * (long) bs, true), v.extentAt(0, BLOCKS * (long) bs));
      v.write(2L * bs, block(2 * bs, 1), 0, 2 * bs);
      v.zero(3L * bs, bs);
      assertEquals(new Extent(0, 2L * bs, true), v.extentAt(0, BLOCKS * (long) bs));
      assertEquals(new Extent(2L * bs, bs, false), v.extentAt(2L * bs, BLOCKS * (long) bs));
      assertEquals(new Extent(3L * bs, 13L * bs, true), v.extentAt(3L * bs, BLOCKS * (long) bs));
      v.flush();
    }
    // The data area of a zeroed block is never read: garbage there changes nothing.
    s.overwrite(o.geometry().dataOffset(3), block(bs, 99));
    try (Volume v = reopen(s, TagAlgorithm.CRC32C)) {
      byte[] got = new byte[bs];
      v.readFully(3L * bs, got, 0, bs);
      assertArrayEquals(new byte[bs], got);
      assertEquals(new Extent(4L * bs, 12L * bs, true), v.extentAt(4L * bs, BLOCKS * (long) bs));
      assertTrue(VolumeCheck.check(v).clean());
    }
  }

  @Test
  void aBlockCopiedToAnotherAddressFails() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    CrashStore s = store(o);
    try (Volume v = Volume.create(s, "vol", o)) {
      for (long b = 0; b < BLOCKS; b++) {
        v.write(b * 4096, block(4096, b), 0, 4096);
      }
    }
    Geometry g = o.geometry();
    s.overwrite(g.dataOffset(7), s.read(g.dataOffset(3), 4096));
    try (Volume v = reopen(s, TagAlgorithm.CRC32C)) {
      onlyBlockFails(v, 7);
    }
  }

  @Test
  void aBlockWithItsTagCopiedToAnotherAddressStillFails() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.SHA256);
    CrashStore s = store(o);
    try (Volume v = Volume.create(s, "vol", o)) {
      for (long b = 0; b < BLOCKS; b++) {
        v.write(b * 4096, block(4096, b), 0, 4096);
      }
    }
    Geometry g = o.geometry();
    s.overwrite(g.dataOffset(7), s.read(g.dataOffset(3), 4096));
    s.overwrite(g.entryOffset(7), s.read(g.entryOffset(3), g.entrySize()));
    try (Volume v = reopen(s, TagAlgorithm.SHA256)) {
      onlyBlockFails(v, 7);
    }
  }

  @Test
  void aLostDataWriteFails() throws IOException {
    lostWrite(true);
  }

  @Test
  void aLostTagWriteFails() throws IOException {
    lostWrite(false);
  }

  /** Block 5 is written twice; the second write's data (or tag) never reaches the storage. */
  private static void lostWrite(boolean data) throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    Geometry g = o.geometry();
    CrashStore s = store(o);
    try (Volume v = Volume.create(s, "vol", o)) {
      for (long b = 0; b < BLOCKS; b++) {
        v.write(b * 4096, block(4096, b), 0, 4096);
      }
    }
    byte[] oldData = s.read(g.dataOffset(5), 4096);
    byte[] oldTag = s.read(g.entryOffset(5), g.entrySize());
    try (Volume v = reopen(s, TagAlgorithm.CRC32C)) {
      v.write(5 * 4096L, block(4096, 500), 0, 4096);
    }
    if (data) {
      s.overwrite(g.dataOffset(5), oldData);
    } else {
      s.overwrite(g.entryOffset(5), oldTag);
    }
    try (Volume v = reopen(s, TagAlgorithm.CRC32C)) {
      onlyBlockFails(v, 5);
    }
  }

  @ParameterizedTest
  @EnumSource(TagAlgorithm.class)
  void aBlockAndTagFromAnotherVolumeFail(TagAlgorithm alg) throws IOException {
    VolumeOptions o = options(4096, alg);
    Geometry g = o.geometry();
    CrashStore mine = store(o);
    CrashStore other = store(o);
    for (CrashStore s : List.of(mine, other)) {
      try (Volume v = Volume.create(s, "vol", o)) {
        for (long b = 0; b < BLOCKS; b++) {
          v.write(b * 4096, block(4096, b + (s == other ? 1000 : 0)), 0, 4096);
        }
      }
    }
    mine.overwrite(g.dataOffset(2), other.read(g.dataOffset(2), 4096));
    mine.overwrite(g.entryOffset(2), other.read(g.entryOffset(2), g.entrySize()));
    try (Volume v = reopen(mine, alg)) {
      onlyBlockFails(v, 2);
    }
  }

  @Test
  void oneFlippedBitInAWrittenBlockFailsOnlyThatBlock() throws IOException {
    VolumeOptions o = options(512, TagAlgorithm.XXH3_64);
    Geometry g = o.geometry();
    CrashStore s = store(o);
    try (Volume v = Volume.create(s, "vol", o)) {
      v.write(0, block(BLOCKS * 512, 4), 0, BLOCKS * 512);
    }
    byte[] b = s.read(g.dataOffset(9) + 100, 1);
    b[0] ^= 1;
    s.overwrite(g.dataOffset(9) + 100, b);
    try (Volume v = reopen(s, TagAlgorithm.XXH3_64)) {
      onlyBlockFails(v, 9);
      assertEquals(1, v.mismatches());
    }
  }

  @Test
  void aKeyedVolumeNeedsItsKey() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.HMAC_SHA256);
    CrashStore s = store(o);
    Volume.create(s, "vol", o).close();
    VolumeFormatException none =
        assertThrows(VolumeFormatException.class, () -> Volume.open(s, "vol", false, null));
    assertTrue(none.getMessage().contains("--key-file"), none.getMessage());
    byte[] wrong = Arrays.copyOf(KEY, KEY.length);
    wrong[0] ^= 1;
    VolumeFormatException bad =
        assertThrows(VolumeFormatException.class, () -> Volume.open(s, "vol", false, wrong));
    assertTrue(bad.getMessage().contains("wrong key"), bad.getMessage());
  }

  @Test
  void aDamagedSuperblockCopyIsReportedAndTheOtherUsed() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    CrashStore s = store(o);
    try (Volume v = Volume.create(s, "vol", o)) {
      v.write(0, block(4096, 1), 0, 4096);
    }
    s.overwrite(100, new byte[] {1, 2, 3});
    try (Volume v = Volume.open(s, "vol", false, null)) {
      assertEquals(1, v.openReport().superblockProblems().size());
      byte[] got = new byte[4096];
      v.readFully(0, got, 0, 4096);
      assertArrayEquals(block(4096, 1), got);
    }
    s.overwrite(4096 + 100, new byte[] {1, 2, 3});
    VolumeFormatException e =
        assertThrows(VolumeFormatException.class, () -> Volume.open(s, "vol", false, null));
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void committedButNotCheckpointedWritesReplayOnAReadOnlyOpen() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    CrashStore s = store(o);
    Volume v = Volume.create(s, "vol", o);
    v.write(4096, block(4096, 8), 0, 4096);
    v.flush(); // durable in the journal only: the process dies without a checkpoint
    try (Volume ro = Volume.open(new CrashStore(s.bytes()), "vol", false, null)) {
      assertEquals(1, ro.openReport().transactions());
      byte[] got = new byte[4096];
      ro.readFully(4096, got, 0, 4096);
      assertArrayEquals(block(4096, 8), got);
    }
  }

  @Test
  void aWriteToEmptyBlocksPutsItsDataHomeAndOnlyItsTagsInTheJournal() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    Geometry g = o.geometry();
    CrashStore s = store(o);
    Volume v = Volume.create(s, "vol", o);
    byte[] data = new byte[4 * 4096];
    new SplittableRandom(3).nextBytes(data);
    v.write(4096, data, 0, data.length);
    v.flush(); // no checkpoint: the journal holds a HOME record and its COMMIT only
    byte[] bytes = s.bytes();
    assertArrayEquals(
        data, Arrays.copyOfRange(bytes, (int) g.dataOffset(1), (int) g.dataOffset(5)));
    byte[] journal =
        Arrays.copyOfRange(bytes, (int) g.journalOffset(), (int) (g.journalOffset() + 2048));
    assertEquals(JournalRecord.HOME, journal[4]);
    assertEquals(JournalRecord.COMMIT, journal[JournalCodec.SECTOR + 4]);
    try (Volume ro = Volume.open(new CrashStore(bytes), "vol", false, null)) {
      byte[] got = new byte[data.length];
      ro.readFully(4096, got, 0, got.length);
      assertArrayEquals(data, got);
    }
  }

  @Test
  void anOverwriteOfCommittedDataGoesThroughTheJournalNotHome() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    Geometry g = o.geometry();
    CrashStore s = store(o);
    Volume v = Volume.create(s, "vol", o);
    v.write(0, block(4096, 1), 0, 4096);
    v.flush();
    v.write(0, block(4096, 2), 0, 4096);
    v.flush();
    byte[] home = Arrays.copyOfRange(s.bytes(), (int) g.dataOffset(0), (int) g.dataOffset(1));
    assertArrayEquals(block(4096, 1), home, "the committed copy at home stays until a checkpoint");
    try (Volume ro = Volume.open(new CrashStore(s.bytes()), "vol", false, null)) {
      byte[] got = new byte[4096];
      ro.readFully(0, got, 0, 4096);
      assertArrayEquals(block(4096, 2), got);
    }
  }

  @Test
  void aCommittedHomeTransactionWhoseDataNeverLandedIsDroppedNotAMismatch() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    Geometry g = o.geometry();
    CrashStore s = store(o);
    Volume v = Volume.create(s, "vol", o);
    v.write(0, block(4096, 1), 0, 4096);
    v.flush();
    v.write(4096, block(4096, 2), 0, 4096);
    v.flush();
    // The sync that would have acknowledged the second flush did not finish: its COMMIT reached
    // the disk, the block's home data did not.
    byte[] bytes = s.bytes();
    Arrays.fill(bytes, (int) g.dataOffset(1), (int) g.dataOffset(2), (byte) 0);
    try (Volume reopened = Volume.open(new CrashStore(bytes), "vol", true, null)) {
      assertEquals(1, reopened.openReport().transactions());
      assertEquals(1, reopened.openReport().dropped());
      byte[] got = new byte[4096];
      reopened.readFully(0, got, 0, 4096);
      assertArrayEquals(block(4096, 1), got);
      reopened.readFully(4096, got, 0, 4096);
      assertArrayEquals(new byte[4096], got);
      assertTrue(VolumeCheck.check(reopened).clean());
    }
  }

  @Test
  void aMegabyteWriteIntoFreshSpaceIsOneDataWriteAndOneHomeRecordWithoutACheckpoint()
      throws IOException {
    int blocks = 512; // 2 MiB: more blocks than the minimum journal has room for as data
    VolumeOptions o =
        VolumeOptions.of(blocks * 4096L).withBlockSize(4096).withJournal(Geometry.minJournal(4096));
    Geometry g = o.geometry();
    assertTrue(blocks > g.journalLength() / 4096);
    CrashStore s = store(o);
    Volume v = Volume.create(s, "vol", o);
    byte[] data = new byte[1 << 20];
    new SplittableRandom(5).nextBytes(data);
    int writes = s.writes();
    int flushes = s.flushes();
    v.write(0, data, 0, data.length);
    assertEquals(2, s.writes() - writes, "one write of the data at home, one HOME record");
    v.write(data.length, data, 0, data.length);
    v.flush();
    assertEquals(1, s.flushes() - flushes, "no checkpoint: only the flush's own fdatasync");
    byte[] bytes = s.bytes();
    JournalCodec.Bounds bounds = JournalCodec.Bounds.of(4096);
    int first = (int) g.journalOffset();
    JournalRecord home =
        JournalCodec.decode(
            Arrays.copyOfRange(bytes, first, first + 8192), g.tagLength(), bounds, g.blocks());
    assertEquals(JournalRecord.HOME, home.type());
    assertEquals(256, home.blocks().length);
    try (Volume ro = Volume.open(new CrashStore(bytes), "vol", false, null)) {
      assertEquals(1, ro.openReport().transactions());
      byte[] got = new byte[data.length];
      ro.readFully(data.length, got, 0, got.length);
      assertArrayEquals(data, got);
    }
  }

  @Test
  void aVersion2VolumeOpensAndAWritableOpenUpgradesBothSuperblockCopiesToVersion3()
      throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C).withChunk(0); // no chunk map
    CrashStore s = store(o);
    Volume v = Volume.create(s, "vol", o);
    v.write(4096, block(4096, 4), 0, 4096);
    v.flush(); // a committed journal a version-2 writer could have left (a one-block HOME record)
    for (int copy = 0; copy < 2; copy++) {
      asVersion2(s, copy);
    }
    byte[] got = new byte[4096];
    try (Volume ro = Volume.open(new CrashStore(s.bytes()), "vol", false, null)) {
      assertEquals(2, ro.superblock().version(), "a read-only open changes nothing");
      ro.readFully(4096, got, 0, 4096);
      assertArrayEquals(block(4096, 4), got);
    }
    try (Volume rw = Volume.open(s, "vol", true, null)) {
      assertEquals(Superblock.UNMAPPED, rw.superblock().version());
      rw.readFully(4096, got, 0, 4096);
      assertArrayEquals(block(4096, 4), got);
    }
    assertEquals(3, superblockCopy(s, 0).version());
    assertEquals(3, superblockCopy(s, 1).version());
    // A crash between the upgrade's two writes: the older copy is still version 2.
    int older = superblockCopy(s, 0).generation() < superblockCopy(s, 1).generation() ? 0 : 1;
    asVersion2(s, older);
    Volume.open(s, "vol", true, null).close();
    assertEquals(3, superblockCopy(s, older).version(), "the next writable open finishes it");
  }

  private static void asVersion2(CrashStore s, int copy) throws VolumeFormatException {
    Superblock sb = superblockCopy(s, copy);
    s.overwrite(
        copy * Geometry.SUPERBLOCK_SLOT,
        SuperblockCodec.encode(
            new Superblock(
                2,
                sb.uuid(),
                sb.geometry(),
                sb.algorithm(),
                0,
                sb.generation(),
                sb.journalEpoch(),
                0,
                0,
                0,
                sb.keyCheck())));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void aVolumeOfAnUnknownFormatVersionIsRefusedInOneLine(int version) throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    CrashStore s = store(o);
    Volume.create(s, "vol", o).close();
    for (int copy = 0; copy < 2; copy++) {
      Superblock sb = superblockCopy(s, copy);
      byte[] bytes = SuperblockCodec.encode(sb);
      bytes[8] = (byte) version;
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(bytes, 0, 508);
      java.nio.ByteBuffer.wrap(bytes)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putInt(508, (int) crc.getValue());
      s.overwrite(copy * Geometry.SUPERBLOCK_SLOT, bytes);
    }
    VolumeFormatException e =
        assertThrows(VolumeFormatException.class, () -> Volume.open(s, "vol", true, null));
    assertEquals(
        "vol superblock copy 0: volume format version "
            + version
            + " (this Intact reads versions 2 to 4)",
        e.getMessage());
  }

  private static Superblock superblockCopy(CrashStore s, int copy) throws VolumeFormatException {
    return SuperblockCodec.decode(
        s.read(copy * Geometry.SUPERBLOCK_SLOT, SuperblockCodec.SIZE), "copy " + copy);
  }

  @Test
  void anExtentAskedPastTheEndStopsAtTheVolumesEnd() throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    try (Volume v = Volume.create(store(o), "vol", o)) {
      assertEquals(new Extent(0, v.size(), true), v.extentAt(0, 4 * v.size()));
      byte[] data = block(4096, 3);
      v.write(v.size() - 4096, data, 0, 4096);
      assertEquals(
          new Extent(v.size() - 4096, 4096, false), v.extentAt(v.size() - 4096, 4 * v.size()));
    }
  }

  @Test
  void aMegabyteJustWrittenHomeReadsBackInOneDataReadNotOneReadPerBlock() throws IOException {
    int blocks = 512;
    VolumeOptions o = VolumeOptions.of(blocks * 4096L).withBlockSize(4096);
    CrashStore s = store(o);
    byte[] data = new byte[1 << 20];
    new SplittableRandom(7).nextBytes(data);
    try (Volume v = Volume.create(s, "vol", o)) {
      v.write(0, data, 0, data.length); // HOME: pending, not yet checkpointed
      byte[] got = new byte[data.length];
      int reads = s.reads();
      v.readFully(0, got, 0, got.length);
      assertArrayEquals(data, got);
      // The write's look at the tag entries (do the blocks hold anything?) cached their page.
      assertEquals(1, s.reads() - reads, "the data at home in one read; the tags from the cache");
    }
  }

  @Test
  void aCheckpointLeavesTheOldEpochsRecordsToBeWrittenOverAndACleanCloseZeroesTheJournal()
      throws IOException {
    VolumeOptions o = options(4096, TagAlgorithm.CRC32C);
    Geometry g = o.geometry();
    CrashStore s = store(o);
    Volume v = Volume.create(s, "vol", o);
    v.write(0, block(4096, 1), 0, 4096); // home, with a HOME record
    v.write(0, block(4096, 2), 0, 4096); // journaled: it replaces committed data
    v.write(4096, block(4096, 3), 0, 4096);
    v.recordScrub(0, 0); // a checkpoint: a new journal epoch
    int journal = (int) g.journalOffset();
    int end = journal + (int) g.journalLength();
    assertFalse(
        allZero(Arrays.copyOfRange(s.bytes(), journal, end)),
        "the checkpoint left the old epoch's records for the next epoch to write over");
    byte[] last = block(4096, 4);
    v.write(0, last, 0, 4096);
    v.flush();
    try (Volume crashed = Volume.open(new CrashStore(s.bytes()), "vol", false, null)) {
      assertEquals(1, crashed.openReport().transactions(), "no record of the old epoch replays");
      byte[] got = new byte[2 * 4096];
      crashed.readFully(0, got, 0, got.length);
      assertArrayEquals(last, Arrays.copyOfRange(got, 0, 4096));
      assertArrayEquals(block(4096, 3), Arrays.copyOfRange(got, 4096, 8192));
    }
    v.close();
    assertTrue(
        allZero(Arrays.copyOfRange(s.bytes(), journal, end)),
        "a clean close keeps no old copies of data in the journal");
    try (Volume reopened = Volume.open(s, "vol", false, null)) {
      byte[] got = new byte[4096];
      reopened.readFully(0, got, 0, got.length);
      assertArrayEquals(last, got);
    }
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aCheckpointAfterScatteredOverwritesWritesEachBlockHomeOnceAndTheirTagsInOneWrite()
      throws IOException {
    int blocks = 256;
    VolumeOptions o =
        VolumeOptions.of(blocks * 4096L).withBlockSize(4096).withJournal(Geometry.minJournal(4096));
    CrashStore s = store(o);
    byte[] all = new byte[blocks * 4096];
    new SplittableRandom(6).nextBytes(all);
    try (Volume v = Volume.create(s, "vol", o)) {
      v.write(0, all, 0, all.length);
    }
    Volume v = Volume.open(s, "vol", true, null);
    for (int b = 3; b < blocks; b += 8) { // 32 blocks, journaled: each replaces committed data
      byte[] data = block(4096, b);
      v.write(b * 4096L, data, 0, 4096);
      System.arraycopy(data, 0, all, b * 4096, 4096);
    }
    v.flush();
    int before = s.writes();
    v.close(); // the checkpoint
    assertTrue(
        s.writes() - before <= 32 + 3,
        (s.writes() - before) + " writes: 32 blocks home, one window of tags, superblock, punch");
    try (Volume ro = Volume.open(s, "vol", false, null)) {
      byte[] got = new byte[all.length];
      ro.readFully(0, got, 0, got.length);
      assertArrayEquals(all, got);
      assertTrue(VolumeCheck.check(ro).clean());
    }
  }
}
