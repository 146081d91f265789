package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The write-ahead journal: an append-only run of records in the journal area. Data and tags of a
 * write that replaces a block's committed content land here first, together, and reach their home
 * places only at a checkpoint, after the journal is durable; a write to a block that holds nothing
 * puts its data at home at once and only its tags here (a HOME record). Either way a crash at any
 * moment leaves every block either as it was or as written, with a tag that matches it. Not
 * thread-safe: the volume's write lock guards it.
 */
final class Journal {
  private static final int MAX_TAG = 32;

  /**
   * The journal asks the storage to start writing its records every this much, so the disk works
   * while requests keep arriving and the checkpoint's sync finds little left to wait for.
   */
  static final int WRITEBACK_BATCH = 4 << 20;

  /** WRITE records with at most this much data are written with their header in one call. */
  private static final int ONE_WRITE = 64 << 10;

  private final WritableImage store;
  private final Geometry geometry;
  private long epoch;
  private long seq;
  private int index;
  private long position;

  /** Where the journal's bytes not yet handed to {@link WritableImage#startWriteback} begin. */
  private long writtenBack;

  Journal(WritableImage store, Geometry geometry, long epoch, long seq, long position) {
    this.store = store;
    this.geometry = geometry;
    this.epoch = epoch;
    this.seq = seq;
    this.position = position;
  }

  /** Blocks per WRITE record: 256 KiB of data, at least one block. */
  static int blocksPerRecord(int blockSize) {
    return JournalCodec.Bounds.of(blockSize).write();
  }

  /** Blocks per HOME record: a whole request of up to 16 MiB (4 KiB blocks) is one record. */
  static int blocksPerHomeRecord(int blockSize) {
    return JournalCodec.Bounds.of(blockSize).home();
  }

  /** The largest record any tag algorithm makes at this block size. */
  static long maxRecordBytes(int blockSize) {
    int n = blocksPerRecord(blockSize);
    long write = JournalCodec.headerLength(JournalRecord.WRITE, n, MAX_TAG) + (long) n * blockSize;
    long home =
        JournalCodec.headerLength(JournalRecord.HOME, blocksPerHomeRecord(blockSize), MAX_TAG);
    return Math.max(write, home);
  }

  long position() {
    return position;
  }

  boolean openTransaction() {
    return index > 0;
  }

  /** Whether a record of {@code bytes} and the commit after it still fit. */
  boolean fits(long bytes) {
    return position + bytes + JournalCodec.SECTOR <= geometry.journalLength();
  }

  static long writeRecordBytes(int blocks, Geometry g) {
    return JournalCodec.headerLength(JournalRecord.WRITE, blocks, g.tagLength())
        + (long) blocks * g.blockSize();
  }

  /** Appends a WRITE record; returns the storage offset of its first data block. */
  long appendWrite(long[] blocks, byte[] tags, byte[] data, int offset) throws IOException {
    byte[] header =
        JournalCodec.encode(
            JournalRecord.write(epoch, seq, index, blocks, tags), geometry.tagLength());
    long at = geometry.journalOffset() + position;
    int dataLength = blocks.length * geometry.blockSize();
    if (dataLength <= ONE_WRITE) {
      // Small records (random 4 KiB writes): one write of header and data, not two syscalls.
      byte[] record = Arrays.copyOf(header, header.length + dataLength);
      System.arraycopy(data, offset, record, header.length, dataLength);
      store.write(at, record, 0, record.length);
    } else {
      store.write(at, header, 0, header.length);
      store.write(at + header.length, data, offset, dataLength);
    }
    index++;
    position += header.length + dataLength;
    startWriteback();
    return at + header.length;
  }

  static long homeRecordBytes(int blocks, Geometry g) {
    return JournalCodec.headerLength(JournalRecord.HOME, blocks, g.tagLength());
  }

  /**
   * Appends a HOME record: the tags of blocks whose data the caller wrote straight to their home
   * places (blocks that held nothing, so no committed state lives there).
   */
  void appendHome(long[] blocks, byte[] tags) throws IOException {
    append(JournalRecord.home(epoch, seq, index, blocks, tags));
    index++;
  }

  static long remapRecordBytes(int blocks, Geometry g) {
    return JournalCodec.headerLength(JournalRecord.REMAP, blocks, g.tagLength());
  }

  /**
   * Appends a REMAP record: the tags of a whole chunk whose data the caller wrote to the free
   * physical chunk {@code to}, which spare slot {@code slot} held; {@code from} is where the chunk
   * was, which the slot receives at the checkpoint.
   */
  void appendRemap(long[] blocks, byte[] tags, long to, long from, int slot) throws IOException {
    append(JournalRecord.remap(epoch, seq, index, blocks, tags, to, from, slot));
    index++;
  }

  void appendZero(long start, long count, boolean punch) throws IOException {
    append(JournalRecord.zero(epoch, seq, index, start, count, punch));
    index++;
  }

  /** Writes the COMMIT of the open transaction, if there is one; returns whether it did. */
  boolean commit() throws IOException {
    if (index == 0) {
      return false;
    }
    append(JournalRecord.commit(epoch, seq, index));
    seq++;
    index = 0;
    return true;
  }

  private void append(JournalRecord r) throws IOException {
    byte[] header = JournalCodec.encode(r, geometry.tagLength());
    store.write(geometry.journalOffset() + position, header, 0, header.length);
    position += header.length;
    startWriteback();
  }

  private void startWriteback() throws IOException {
    if (position - writtenBack >= WRITEBACK_BATCH) {
      store.startWriteback(geometry.journalOffset() + writtenBack, position - writtenBack);
      writtenBack = position;
    }
  }

  /** Starts an empty journal of a new epoch (after a checkpoint made the old one redundant). */
  void reset(long newEpoch) {
    epoch = newEpoch;
    seq = 0;
    index = 0;
    position = 0;
    writtenBack = 0;
  }

  /** A record found by {@link #scan}, with where a WRITE's data is. */
  record Replayed(JournalRecord record, long dataAt) {}

  /**
   * What replay found: the committed records in order, where the journal continues, and how many
   * records of an uncommitted (torn or unfinished) transaction were dropped.
   */
  record Scan(List<Replayed> committed, long end, long seq, int transactions, int dropped) {}

  /**
   * Reads the journal of {@code epoch} from its start and returns every record of every committed
   * transaction. Replay stops at the first sector that is not the next expected record (stale,
   * torn, foreign) or whose data does not match its tags; what follows the last commit is dropped,
   * as it was never acknowledged as durable.
   *
   * <p>A HOME record's data is at the blocks' home places, where the journal cannot vouch for it.
   * Every COMMIT is followed by an {@code fdatasync} before anything else is written, so only the
   * last committed transaction can have home data that never reached the disk (its COMMIT did, its
   * sync did not finish: it was never acknowledged). Replay therefore checks the home data of the
   * blocks whose newest state is a HOME entry of the last transaction and drops that transaction if
   * any fails. Home data of earlier transactions was durable before anything after it was written;
   * if it fails now, that is damage, and reading the block reports it.
   */
  static Scan scan(WritableImage store, Geometry g, Tagger tagger, long epoch, ChunkMap map)
      throws IOException {
    List<Replayed> committed = new ArrayList<>();
    List<Replayed> pending = new ArrayList<>();
    JournalCodec.Bounds bounds = JournalCodec.Bounds.of(g.blockSize());
    long pos = 0;
    long end = 0;
    long seq = 0;
    int index = 0;
    int transactions = 0;
    int lastStart = 0;
    long lastPos = 0;
    long txnPos = 0;
    byte[] sector = new byte[JournalCodec.SECTOR];
    byte[] data = new byte[0];
    byte[] tag = new byte[g.tagLength()];
    scan:
    while (pos + JournalCodec.SECTOR <= g.journalLength()) {
      long at = g.journalOffset() + pos;
      store.readFully(at, sector, 0, sector.length);
      int length = JournalCodec.lengthFromFirstSector(sector, g.tagLength(), bounds);
      if (length < 0 || pos + length > g.journalLength()) {
        break;
      }
      byte[] header = sector;
      if (length > sector.length) {
        header = Arrays.copyOf(sector, length);
        store.readFully(at + sector.length, header, sector.length, length - sector.length);
      }
      JournalRecord r = JournalCodec.decode(header, g.tagLength(), bounds, g.blocks());
      if (r == null
          || r.epoch() != epoch
          || r.seq() != seq
          || (r.type() == JournalRecord.REMAP && !map.fits(r))) {
        break;
      }
      if (r.type() == JournalRecord.COMMIT) {
        if (r.count() != index) {
          break;
        }
        lastStart = committed.size();
        lastPos = txnPos;
        committed.addAll(pending);
        pending.clear();
        seq++;
        index = 0;
        transactions++;
        pos += length;
        end = pos;
        txnPos = pos;
        continue;
      }
      if (r.index() != index) {
        break;
      }
      long dataLength = 0;
      if (r.type() == JournalRecord.WRITE) {
        dataLength = (long) r.blocks().length * g.blockSize();
        if (pos + length + dataLength > g.journalLength()) {
          break;
        }
        if (data.length < dataLength) {
          data = new byte[(int) dataLength];
        }
        store.readFully(at + length, data, 0, (int) dataLength);
        for (int i = 0; i < r.blocks().length; i++) {
          tagger.tag(r.blocks()[i], data, i * g.blockSize(), g.blockSize(), tag, 0);
          if (!Arrays.equals(tag, 0, tag.length, r.tags(), i * tag.length, (i + 1) * tag.length)) {
            break scan; // torn data: the transaction never became durable
          }
        }
      }
      pending.add(new Replayed(r, at + length));
      index++;
      pos += length + dataLength;
    }
    int dropped = pending.size();
    // Records after the last COMMIT were written after its sync finished: it is durable.
    if (transactions > 0
        && pending.isEmpty()
        && !lastDataHolds(store, g, tagger, map, committed, lastStart)) {
      dropped += committed.size() - lastStart;
      committed = new ArrayList<>(committed.subList(0, lastStart));
      end = lastPos;
      seq--;
      transactions--;
    }
    return new Scan(committed, end, seq, transactions, dropped);
  }

  /**
   * Whether every block whose newest committed state is a HOME or REMAP entry of the last
   * transaction (records from {@code lastStart}) holds the data its tag names where that entry put
   * it: its place in the chunk map as of the record (HOME), or the record's new chunk (REMAP).
   */
  private static boolean lastDataHolds(
      WritableImage store,
      Geometry g,
      Tagger tagger,
      ChunkMap map,
      List<Replayed> committed,
      int lastStart)
      throws IOException {
    int tl = g.tagLength();
    // block -> {record index, entry index, data offset} of its newest state, HOME or REMAP only
    TreeMap<Long, long[]> placed = new TreeMap<>();
    // Chunks moved by the records so far: a HOME entry's data is where the map then put it.
    TreeMap<Long, Long> moved = new TreeMap<>();
    for (int k = 0; k < committed.size(); k++) {
      JournalRecord r = committed.get(k).record();
      switch (r.type()) {
        case JournalRecord.HOME -> {
          for (int i = 0; i < r.blocks().length; i++) {
            long b = r.blocks()[i];
            Long to = moved.get(b / g.chunkBlocks());
            long at = to == null ? map.offset(b) : inChunk(g, to, b);
            placed.put(b, new long[] {k, i, at});
          }
        }
        case JournalRecord.REMAP -> {
          moved.put(r.blocks()[0] / g.chunkBlocks(), r.start());
          for (int i = 0; i < r.blocks().length; i++) {
            long b = r.blocks()[i];
            placed.put(b, new long[] {k, i, inChunk(g, r.start(), b)});
          }
        }
        case JournalRecord.WRITE -> {
          for (long b : r.blocks()) {
            placed.remove(b);
          }
        }
        case JournalRecord.ZERO -> placed.subMap(r.start(), r.start() + r.count()).clear();
        default -> {}
      }
    }
    byte[] block = new byte[g.blockSize()];
    byte[] tag = new byte[tl];
    for (Map.Entry<Long, long[]> e : placed.entrySet()) {
      long[] where = e.getValue();
      if (where[0] < lastStart) {
        continue;
      }
      JournalRecord r = committed.get((int) where[0]).record();
      store.readFully(where[2], block, 0, block.length);
      tagger.tag(e.getKey(), block, 0, block.length, tag, 0);
      int i = (int) where[1];
      if (!Arrays.equals(tag, 0, tl, r.tags(), i * tl, (i + 1) * tl)) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code block} lies in physical chunk {@code q}. */
  private static long inChunk(Geometry g, long q, long block) {
    return g.chunkOffset(q) + block % g.chunkBlocks() * g.blockSize();
  }
}
