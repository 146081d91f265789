package dev.intact.core.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A journal record header's bytes, whole 512-byte sectors, little-endian; bytes only, fuzzed.
 *
 * <pre>
 *   0  magic u32 "VLRJ"     24 index u32           48 CRC-32C of the header (this field zero)
 *   4  type u16 (1 WRITE,    28 count u32           52 REMAP: spare slot u32, else 0
 *      2 ZERO, 3 COMMIT,     32 start u64 (ZERO;    56 count x (block u64, tag)
 *      4 HOME, 5 REMAP)         REMAP: to chunk)       (WRITE, HOME, REMAP) then zeros to the
 *   6  flags u16 (1: punch)  40 blocks u64 (ZERO;      sector end
 *   8  epoch u64                REMAP: from chunk)
 *   16 seq u64
 * </pre>
 *
 * A REMAP's blocks are one whole chunk's, consecutive; its data is in the physical chunk "to"
 * (which the codec cannot check against a geometry: {@code Journal.scan} does).
 *
 * <p>A WRITE's data (count blocks) follows its header; the tags prove the data, so a torn data
 * write shows as a tag mismatch and invalidates the transaction like a torn header does. A HOME
 * record's data is at the blocks' home places instead (see {@code Journal.scan} for how replay
 * proves it).
 *
 * <p>The two entry-carrying types have their own bounds on the count, since a HOME record has no
 * data after it: a WRITE carries at most 256 KiB of data, a HOME record at most {@link
 * Bounds#HOME_ENTRIES} entries (format version 3; version 2 wrote HOME records no longer than WRITE
 * records, which the version-3 bound accepts).
 */
public final class JournalCodec {
  public static final int SECTOR = 512;
  static final int MAGIC = 0x4a524c56;
  private static final int FIXED = 56;
  private static final int FLAG_PUNCH = 1;

  private JournalCodec() {}

  /**
   * How many (block, tag) entries a record of each type may carry; a count above its type's bound
   * makes the sector no record.
   *
   * @param write the WRITE bound (256 KiB of data, at least one block)
   * @param home the HOME bound
   */
  public record Bounds(int write, int home) {
    /** Entries a HOME record may carry: 16 MiB of 4 KiB blocks, a 160 KiB header at most. */
    public static final int HOME_ENTRIES = 4096;

    private static final int WRITE_DATA = 256 << 10;

    public Bounds {
      if (write < 1 || home < 1) {
        throw new IllegalArgumentException("record bounds are positive");
      }
    }

    /** The format's bounds at this block size. */
    public static Bounds of(int blockSize) {
      return new Bounds(Math.max(1, WRITE_DATA / blockSize), HOME_ENTRIES);
    }

    /** A REMAP carries one chunk: at most 1 MiB of 512-byte blocks, within the HOME bound. */
    int forType(int type) {
      return type == JournalRecord.WRITE ? write : home;
    }
  }

  /** The header length of a record with {@code count} WRITE entries. */
  public static int headerLength(int type, long count, int tagLength) {
    long body = JournalRecord.hasEntries(type) ? count * (8L + tagLength) : 0;
    return (int) ((FIXED + body + SECTOR - 1) / SECTOR * SECTOR);
  }

  public static byte[] encode(JournalRecord r, int tagLength) {
    int length = headerLength(r.type(), r.count(), tagLength);
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC)
        .putShort((short) r.type())
        .putShort((short) (r.punch() ? FLAG_PUNCH : 0))
        .putLong(r.epoch())
        .putLong(r.seq())
        .putInt(r.index())
        .putInt((int) (r.type() == JournalRecord.ZERO ? 0 : r.count()))
        .putLong(r.start())
        .putLong(
            switch (r.type()) {
              case JournalRecord.ZERO -> r.count();
              case JournalRecord.REMAP -> r.from();
              default -> 0;
            })
        .putInt(0)
        .putInt(r.slot());
    if (JournalRecord.hasEntries(r.type())) {
      for (int i = 0; i < r.blocks().length; i++) {
        b.putLong(r.blocks()[i]).put(r.tags(), i * tagLength, tagLength);
      }
    }
    b.putInt(48, crc(b.array(), length));
    return b.array();
  }

  /**
   * How long the header starting with this first sector is, or -1 when the sector is no record
   * header (wrong magic or type, or more entries than its type's bound).
   */
  public static int lengthFromFirstSector(byte[] sector, int tagLength, Bounds bounds) {
    if (sector.length < SECTOR) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != MAGIC) {
      return -1;
    }
    int type = b.getShort(4);
    long count = Integer.toUnsignedLong(b.getInt(28));
    if (JournalRecord.hasEntries(type)) {
      if (count < 1 || count > bounds.forType(type)) {
        return -1;
      }
      return headerLength(type, count, tagLength);
    }
    return type == JournalRecord.ZERO || type == JournalRecord.COMMIT ? SECTOR : -1;
  }

  /**
   * Decodes a whole header, or returns null when it is not a valid one (a torn, stale or foreign
   * sector): the journal's end, never an error, since a crash leaves exactly such sectors.
   */
  public static JournalRecord decode(byte[] header, int tagLength, Bounds bounds, long blockCount) {
    int length = lengthFromFirstSector(header, tagLength, bounds);
    if (length < 0 || header.length < length) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(header, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    int stored = b.getInt(48);
    b.putInt(48, 0);
    int actual = crc(header, length);
    b.putInt(48, stored);
    int slot = b.getInt(52);
    if (stored != actual || (slot != 0 && type(b) != JournalRecord.REMAP)) {
      return null;
    }
    int type = b.getShort(4);
    int flags = b.getShort(6) & 0xffff;
    long epoch = b.getLong(8);
    long seq = b.getLong(16);
    int index = b.getInt(24);
    int count = b.getInt(28);
    long start = b.getLong(32);
    long zeroCount = b.getLong(40);
    if (flags > FLAG_PUNCH || index < 0 || seq < 0 || epoch < 0) {
      return null;
    }
    JournalRecord record =
        switch (type) {
          case JournalRecord.WRITE, JournalRecord.HOME -> {
            byte[] tags = new byte[count * tagLength];
            long[] blocks = entries(b, count, tags, tagLength, blockCount, false);
            if (blocks == null || flags != 0 || start != 0 || zeroCount != 0) {
              yield null;
            }
            yield type == JournalRecord.WRITE
                ? JournalRecord.write(epoch, seq, index, blocks, tags)
                : JournalRecord.home(epoch, seq, index, blocks, tags);
          }
          case JournalRecord.REMAP -> {
            byte[] tags = new byte[count * tagLength];
            long[] blocks = entries(b, count, tags, tagLength, blockCount, true);
            if (blocks == null || flags != 0 || start < 0 || zeroCount < 0 || slot < 0) {
              yield null;
            }
            yield JournalRecord.remap(epoch, seq, index, blocks, tags, start, zeroCount, slot);
          }
          case JournalRecord.ZERO -> {
            if (count != 0 || start < 0 || zeroCount < 1 || zeroCount > blockCount - start) {
              yield null;
            }
            yield JournalRecord.zero(epoch, seq, index, start, zeroCount, flags == FLAG_PUNCH);
          }
          default -> {
            if (flags != 0 || start != 0 || zeroCount != 0 || count != index || count < 1) {
              yield null;
            }
            yield JournalRecord.commit(epoch, seq, count);
          }
        };
    // Only the canonical form is a record: bytes the CRC covers but no field holds (padding) must
    // be what encode writes, or a foreign sector with a matching CRC would pass as ours.
    if (record == null) {
      return null;
    }
    byte[] canonical = encode(record, tagLength);
    return canonical.length == length && Arrays.equals(canonical, 0, length, header, 0, length)
        ? record
        : null;
  }

  /**
   * Reads a header's {@code count} (block number, tag) entries into the returned array and {@code
   * tags}, or returns null if a block number is outside the volume or, when {@code consecutive} (a
   * REMAP's one whole chunk), does not follow the one before it.
   */
  private static long[] entries(
      ByteBuffer b, int count, byte[] tags, int tagLength, long blockCount, boolean consecutive) {
    long[] blocks = new long[count];
    b.position(FIXED);
    for (int i = 0; i < count; i++) {
      blocks[i] = b.getLong();
      b.get(tags, i * tagLength, tagLength);
      if (blocks[i] < 0
          || blocks[i] >= blockCount
          || (consecutive && i > 0 && blocks[i] != blocks[0] + i)) {
        return null;
      }
    }
    return blocks;
  }

  private static int type(ByteBuffer b) {
    return b.getShort(4);
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, length);
    return (int) c.getValue();
  }
}
