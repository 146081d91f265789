package dev.intact.core.volume;

/**
 * Where a volume keeps what: two superblock copies, the tag area, the chunk map, the journal and
 * the data area, all computed from the logical size, block size, tag entry size, journal length,
 * chunk size and spare chunk count, so a superblock cannot point anywhere the format does not put
 * things.
 *
 * <pre>
 *   0        superblock copy 0 (one 512-byte sector of a 4 KiB slot)
 *   4096     superblock copy 1
 *   8192     tag area: one entry (state byte + tag) per block, packed
 *   aligned  chunk map (version 4): one u64 per logical chunk, then one per spare slot
 *   aligned  journal (journalLength bytes)
 *   aligned  data area: (chunks + spare) physical chunks of chunkSize bytes
 * </pre>
 *
 * A version-3 volume has no chunk map ({@code chunkSize} 0, no spare): block i is at {@code
 * dataOffset + i * blockSize}, as it is in a version-4 volume whose chunk map is still the
 * identity.
 *
 * @param chunkSize bytes per chunk, the unit of remapping (a power of two from the block size to 1
 *     MiB), or 0 for a version-3 volume
 * @param spareChunks physical chunks beyond the logical ones (the free set), 0 without a map
 */
public record Geometry(
    long size, int blockSize, int entrySize, long journalLength, int chunkSize, long spareChunks) {
  /** Alignment of the areas: 64 KiB, the largest block size, so data blocks never straddle. */
  public static final int ALIGN = 64 << 10;

  public static final long SUPERBLOCK_SLOT = 4096;
  public static final long TAG_OFFSET = 2 * SUPERBLOCK_SLOT;
  public static final int MIN_BLOCK = 512;
  public static final int MAX_BLOCK = 64 << 10;
  public static final long MAX_JOURNAL = 1L << 30;

  /** The largest logical size: 2^56 bytes keeps every offset computation far from overflow. */
  public static final long MAX_SIZE = 1L << 56;

  /** The default chunk size, the unit a whole-chunk overwrite is written once in. */
  public static final int CHUNK = 1 << 20;

  /** The most spare chunks: their slots are kept in memory (8 bytes each). */
  public static final long MAX_SPARE = 1 << 16;

  public Geometry {
    String problem = problem(size, blockSize, entrySize, journalLength, chunkSize, spareChunks);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** A version-3 geometry: no chunk map. */
  public Geometry(long size, int blockSize, int entrySize, long journalLength) {
    this(size, blockSize, entrySize, journalLength, 0, 0);
  }

  /** What makes these values no geometry, or null when they are one. */
  static String problem(
      long size,
      int blockSize,
      int entrySize,
      long journalLength,
      int chunkSize,
      long spareChunks) {
    String problem = problem(size, blockSize, entrySize, journalLength);
    if (problem != null) {
      return problem;
    }
    if (chunkSize == 0) {
      return spareChunks == 0 ? null : "spare chunks " + spareChunks + " without a chunk size";
    }
    if (chunkSize < blockSize || chunkSize > CHUNK || Integer.bitCount(chunkSize) != 1) {
      return "chunk size "
          + Integer.toUnsignedString(chunkSize)
          + " is not a power of two from the block size to 1 MiB";
    }
    if (spareChunks < 0 || spareChunks > MAX_SPARE) {
      return "spare chunks " + spareChunks + " is not from 0 to " + MAX_SPARE;
    }
    return null;
  }

  /** What makes these values no version-3 geometry, or null when they are one. */
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

  /**
   * A default spare pool: a sixteenth of the volume, from 16 MiB to 1 GiB, in whole chunks, and no
   * more chunks than the volume has whole ones (which could all move in one epoch). A whole-chunk
   * overwrite takes one spare chunk; the pool refills only at a checkpoint, so it decides how often
   * steady overwrites pay one.
   */
  public static long defaultSpare(long size, int chunkSize) {
    long bytes = Math.clamp(size / 16, 16L << 20, 1L << 30);
    return Math.min(Math.min(MAX_SPARE, size / chunkSize), Math.ceilDiv(bytes, chunkSize));
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

  /** Whether blocks move between physical chunks (version 4), rather than lie at fixed places. */
  public boolean remaps() {
    return chunkSize > 0;
  }

  /** Blocks per chunk (with no chunk map, the whole volume is one chunk). */
  public long chunkBlocks() {
    return remaps() ? chunkSize / blockSize : blocks();
  }

  /** Logical chunks, the last one possibly partial (0 without a chunk map). */
  public long chunks() {
    return remaps() ? (size + chunkSize - 1) / chunkSize : 0;
  }

  /** Logical chunks that are whole: only these are ever remapped. */
  public long wholeChunks() {
    return remaps() ? size / chunkSize : 0;
  }

  public long mapOffset() {
    return align(TAG_OFFSET + tagAreaLength());
  }

  /** The chunk map: one u64 per logical chunk, then one per spare slot. */
  public long mapLength() {
    return (chunks() + spareChunks) * 8;
  }

  public long journalOffset() {
    return remaps() ? align(mapOffset() + mapLength()) : mapOffset();
  }

  public long dataOffset() {
    return journalOffset() + journalLength;
  }

  /**
   * The bytes the storage must hold: the logical size, and with spare chunks, whole chunks up to
   * the last spare one (the spares follow the last logical chunk, whole or not).
   */
  public long storageSize() {
    return dataOffset() + (spareChunks > 0 ? (chunks() + spareChunks) * chunkSize : size);
  }

  /** Where physical chunk {@code q} starts. */
  public long chunkOffset(long q) {
    return dataOffset() + q * chunkSize;
  }

  public long entryOffset(long block) {
    return TAG_OFFSET + block * entrySize;
  }

  /**
   * Where {@code block} lies while its chunk is at its own place (always in a version-3 volume; in
   * a version-4 volume until a whole-chunk overwrite moves it: {@code ChunkMap} knows where).
   */
  public long dataOffset(long block) {
    return dataOffset() + block * blockSize;
  }
}
