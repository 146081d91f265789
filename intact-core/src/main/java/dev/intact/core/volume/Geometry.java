package dev.intact.core.volume;

/**
 * Where a volume keeps what: two superblock copies, the tag area, the journal and the data area,
 * all computed from the logical size, block size, tag entry size and journal length, so a
 * superblock cannot point anywhere the format does not put things.
 *
 * <pre>
 *   0        superblock copy 0 (one 512-byte sector of a 4 KiB slot)
 *   4096     superblock copy 1
 *   8192     tag area: one entry (state byte + tag) per block, packed
 *   aligned  journal (journalLength bytes)
 *   aligned  data area: block i at dataOffset + i * blockSize
 * </pre>
 */
public record Geometry(long size, int blockSize, int entrySize, long journalLength) {
  /** Alignment of the areas: 64 KiB, the largest block size, so data blocks never straddle. */
  public static final int ALIGN = 64 << 10;

  public static final long SUPERBLOCK_SLOT = 4096;
  public static final long TAG_OFFSET = 2 * SUPERBLOCK_SLOT;
  public static final int MIN_BLOCK = 512;
  public static final int MAX_BLOCK = 64 << 10;
  public static final long MAX_JOURNAL = 1L << 30;

  /** The largest logical size: 2^56 bytes keeps every offset computation far from overflow. */
  public static final long MAX_SIZE = 1L << 56;

  public Geometry {
    String problem = problem(size, blockSize, entrySize, journalLength);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** What makes these values no geometry, or null when they are one. */
  static String problem(long size, int blockSize, int entrySize, long journalLength) {
    if (blockSize < MIN_BLOCK || blockSize > MAX_BLOCK || Integer.bitCount(blockSize) != 1) {
      return "block size " + blockSize + " is not a power of two from 512 B to 64 KiB";
    }
    if (size <= 0 || size > MAX_SIZE || size % blockSize != 0) {
      return "size " + size + " is not a positive multiple of the block size " + blockSize;
    }
    if (entrySize < 2 || entrySize > 64) {
      return "tag entry size " + entrySize + " is out of range";
    }
    if (journalLength < minJournal(blockSize)
        || journalLength > MAX_JOURNAL
        || journalLength % ALIGN != 0) {
      return "journal length "
          + journalLength
          + " is not a multiple of 64 KiB from "
          + minJournal(blockSize)
          + " to 1 GiB";
    }
    return null;
  }

  /** The smallest journal: room for two of the largest records and their commits. */
  static long minJournal(int blockSize) {
    return align(2 * (Journal.maxRecordBytes(blockSize) + 512L) + 512L);
  }

  /** A default journal: an eighth of the volume, from the minimum up to 64 MiB. */
  public static long defaultJournal(long size, int blockSize) {
    long j = align(Math.min(64L << 20, size / 8));
    return Math.max(j, Math.max(minJournal(blockSize), 1L << 20));
  }

  static long align(long n) {
    return (n + ALIGN - 1) / ALIGN * ALIGN;
  }

  public long blocks() {
    return size / blockSize;
  }

  public int tagLength() {
    return entrySize - 1;
  }

  public long tagOffset() {
    return TAG_OFFSET;
  }

  public long tagAreaLength() {
    return blocks() * entrySize;
  }

  public long journalOffset() {
    return align(TAG_OFFSET + tagAreaLength());
  }

  public long dataOffset() {
    return journalOffset() + journalLength;
  }

  /** The bytes the storage must hold. */
  public long storageSize() {
    return dataOffset() + size;
  }

  public long entryOffset(long block) {
    return TAG_OFFSET + block * entrySize;
  }

  public long dataOffset(long block) {
    return dataOffset() + block * blockSize;
  }
}
