package dev.intact.core.volume;

/**
 * One record of the journal. A transaction is the records of one sequence number, numbered from 0,
 * followed by its {@code COMMIT}; only committed transactions are replayed.
 *
 * @param type {@link #WRITE}, {@link #HOME}, {@link #REMAP}, {@link #ZERO} or {@link #COMMIT}
 * @param epoch the journal epoch the record belongs to (stale records have an older one)
 * @param seq the transaction's sequence number within the epoch
 * @param index the record's number within its transaction
 * @param blocks WRITE: the block numbers whose data follows the header, in order; HOME: the block
 *     numbers whose data was written straight to their home places; REMAP: every block of one whole
 *     chunk, in order, whose data was written to the spare chunk {@code start}
 * @param tags WRITE, HOME, REMAP: their tags, concatenated
 * @param start ZERO: the first block of the zeroed run; REMAP: the physical chunk the data is in
 * @param count ZERO: its number of blocks; COMMIT: the number of records committed
 * @param punch ZERO: whether the data area may be deallocated (trim) or must stay (zeroing)
 * @param from REMAP: the physical chunk the logical chunk leaves (free again after the checkpoint)
 * @param slot REMAP: the spare slot that held {@code start} and receives {@code from}
 */
@SuppressWarnings(
    "ArrayRecordComponent") // internal to the codec and the journal; never mutated after decoding
public record JournalRecord(
    int type,
    long epoch,
    long seq,
    int index,
    long[] blocks,
    byte[] tags,
    long start,
    long count,
    boolean punch,
    long from,
    int slot) {
  public static final int WRITE = 1;
  public static final int ZERO = 2;
  public static final int COMMIT = 3;
  public static final int HOME = 4;
  public static final int REMAP = 5;

  /** Whether records of this type carry (block, tag) entries after the fixed header. */
  static boolean hasEntries(int type) {
    return type == WRITE || type == HOME || type == REMAP;
  }

  static JournalRecord write(long epoch, long seq, int index, long[] blocks, byte[] tags) {
    return new JournalRecord(WRITE, epoch, seq, index, blocks, tags, 0, blocks.length, false, 0, 0);
  }

  static JournalRecord home(long epoch, long seq, int index, long[] blocks, byte[] tags) {
    return new JournalRecord(HOME, epoch, seq, index, blocks, tags, 0, blocks.length, false, 0, 0);
  }

  static JournalRecord remap(
      long epoch, long seq, int index, long[] blocks, byte[] tags, long to, long from, int slot) {
    return new JournalRecord(
        REMAP, epoch, seq, index, blocks, tags, to, blocks.length, false, from, slot);
  }

  static JournalRecord zero(
      long epoch, long seq, int index, long start, long count, boolean punch) {
    return new JournalRecord(
        ZERO, epoch, seq, index, new long[0], new byte[0], start, count, punch, 0, 0);
  }

  static JournalRecord commit(long epoch, long seq, int records) {
    return new JournalRecord(
        COMMIT, epoch, seq, records, new long[0], new byte[0], 0, records, false, 0, 0);
  }
}
