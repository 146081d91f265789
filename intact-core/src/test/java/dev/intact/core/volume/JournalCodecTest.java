package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The per-type bounds on a record's entries (format versions 3 and 4). */
class JournalCodecTest {
  private static final JournalCodec.Bounds BOUNDS = JournalCodec.Bounds.of(4096);
  private static final int TAG = 32;

  private static JournalRecord record(int type, int count) {
    long[] blocks = new long[count];
    for (int i = 0; i < count; i++) {
      blocks[i] = i;
    }
    byte[] tags = new byte[count * TAG];
    tags[tags.length - 1] = 7;
    return type == JournalRecord.HOME
        ? JournalRecord.home(9, 1, 0, blocks, tags)
        : JournalRecord.write(9, 1, 0, blocks, tags);
  }

  @Test
  void aHomeRecordOfTheLargestCountDecodesToItself() {
    JournalRecord r = record(JournalRecord.HOME, JournalCodec.Bounds.HOME_ENTRIES);
    JournalRecord back = JournalCodec.decode(JournalCodec.encode(r, TAG), TAG, BOUNDS, 10_000);
    assertEquals(JournalCodec.Bounds.HOME_ENTRIES, back.blocks().length);
    assertArrayEquals(r.tags(), back.tags());
  }

  @Test
  void aHomeRecordOneEntryOverItsBoundIsNoRecord() {
    byte[] bytes =
        JournalCodec.encode(record(JournalRecord.HOME, JournalCodec.Bounds.HOME_ENTRIES + 1), TAG);
    assertEquals(-1, JournalCodec.lengthFromFirstSector(bytes, TAG, BOUNDS));
    assertNull(JournalCodec.decode(bytes, TAG, BOUNDS, 10_000));
  }

  @Test
  void aWriteRecordOverTheWriteBoundIsNoRecordThoughAHomeRecordThatLongIsOne() {
    int over = BOUNDS.write() + 1; // 65 blocks of 4 KiB: more than 256 KiB of data
    assertNull(
        JournalCodec.decode(
            JournalCodec.encode(record(JournalRecord.WRITE, over), TAG), TAG, BOUNDS, 10_000));
    assertEquals(
        over,
        JournalCodec.decode(
                JournalCodec.encode(record(JournalRecord.HOME, over), TAG), TAG, BOUNDS, 10_000)
            .blocks()
            .length);
  }

  @Test
  void aRemapRecordOfOneWholeChunkDecodesToItselfWithItsChunksAndSlot() {
    long[] blocks = {256, 257, 258, 259};
    byte[] tags = new byte[blocks.length * TAG];
    tags[5] = 3;
    JournalRecord r = JournalRecord.remap(9, 1, 0, blocks, tags, 70, 64, 6);
    JournalRecord back = JournalCodec.decode(JournalCodec.encode(r, TAG), TAG, BOUNDS, 10_000);
    assertArrayEquals(blocks, back.blocks());
    assertArrayEquals(tags, back.tags());
    assertEquals(JournalRecord.REMAP, back.type());
    assertEquals(70, back.start()); // the chunk the data is in
    assertEquals(64, back.from()); // the chunk left
    assertEquals(6, back.slot());
  }

  @Test
  void aRemapRecordWhoseBlocksAreNotConsecutiveIsNoRecord() {
    long[] blocks = {256, 257, 259, 260};
    JournalRecord r =
        JournalRecord.remap(9, 1, 0, blocks, new byte[blocks.length * TAG], 70, 64, 6);
    assertNull(JournalCodec.decode(JournalCodec.encode(r, TAG), TAG, BOUNDS, 10_000));
  }

  @Test
  void aHomeRecordMayNameBlocksInAnyOrderButNotPastTheVolume() {
    long[] blocks = {9, 3, 700};
    JournalRecord r = JournalRecord.home(9, 1, 0, blocks, new byte[blocks.length * TAG]);
    assertArrayEquals(
        blocks, JournalCodec.decode(JournalCodec.encode(r, TAG), TAG, BOUNDS, 10_000).blocks());
    assertNull(JournalCodec.decode(JournalCodec.encode(r, TAG), TAG, BOUNDS, 700));
  }
}
