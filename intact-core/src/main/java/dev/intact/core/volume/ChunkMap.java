package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a block's data lies: the one place that turns a logical block into a storage offset. In a
 * version-4 volume the data area is physical chunks; the chunk map names, for each logical chunk,
 * the physical chunk holding it, and for each spare slot, a physical chunk that holds nothing (the
 * free set). The map is a permutation of {@code [0, chunks + spare)}: entry {@code i} stores 0 for
 * "physical chunk i" (so a new volume's map is all zeros) and {@code 1 + q} for physical chunk q.
 *
 * <p>A whole-chunk overwrite takes a slot's chunk, writes the data there and journals a REMAP
 * record; the map in memory then differs from the stored one until the checkpoint writes both
 * entries (the logical chunk's new place and the slot's new free chunk, the one the logical chunk
 * left). A slot is used at most once per journal epoch, so a chunk freed in the open epoch, which a
 * replay that drops the last transaction may still need, is never written before the checkpoint
 * makes the move durable. A version-3 volume has no map: every block lies at its fixed place.
 *
 * <p>Memory: the slots (8 bytes each, at most {@link Geometry#MAX_SPARE}), the moves of the open
 * epoch (at most one per slot), and a page cache of the stored map bounded like the tag pages'. Not
 * thread-safe for changes: the volume's write lock guards them; lookups run under its read lock,
 * which excludes changes.
 */
final class ChunkMap {
  /** Pages of the stored map kept in memory: 256 pages, the map of 128 TiB of 1 MiB chunks. */
  static final long BUDGET = 1 << 20;

  private static final int ENTRY = 8;

  private final WritableImage store;
  private final Geometry g;
  private final TagPages pages;

  /** Per slot: the physical chunk it holds as of the epoch's start. */
  private final long[] slots;

  /** Per slot: the chunk it receives at the checkpoint, or -1 while unused in this epoch. */
  private final long[] freed;

  /**
   * Per slot: whether a write in flight holds it: its chunk is being written without the volume's
   * lock and its REMAP record is not yet appended. Nobody else takes the slot, and a checkpoint
   * leaves it as it is (unused and free), so the reservation may cross an epoch boundary.
   */
  private final boolean[] reserved;

  /** Logical chunk to physical chunk, for the chunks moved in this epoch. */
  private final TreeMap<Long, Long> moved = new TreeMap<>();

  /** Every slot before this one has been used in this epoch. */
  private int cursor;

  ChunkMap(WritableImage store, Geometry g) throws IOException {
    this.store = store;
    this.g = g;
    this.pages = g.remaps() ? new TagPages(store, g.mapOffset(), g.mapLength(), BUDGET) : null;
    int spare = (int) g.spareChunks();
    this.slots = new long[spare];
    this.freed = new long[spare];
    this.reserved = new boolean[spare];
    Arrays.fill(freed, -1);
    if (spare > 0) {
      byte[] raw = new byte[spare * ENTRY];
      store.readFully(g.mapOffset() + g.chunks() * ENTRY, raw, 0, raw.length);
      ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < spare; k++) {
        slots[k] = decode(g.chunks() + k, b.getLong(k * ENTRY));
      }
    }
  }

  /** The storage offset of {@code block}'s data, with this epoch's moves. */
  long offset(long block) throws IOException {
    if (!g.remaps()) {
      return g.dataOffset(block);
    }
    long c = block / g.chunkBlocks();
    return g.chunkOffset(physical(c)) + (block - c * g.chunkBlocks()) * g.blockSize();
  }

  /** The first block after {@code block}'s chunk: data is contiguous only up to there. */
  long chunkEnd(long block) {
    if (!g.remaps()) {
      return g.blocks();
    }
    return Math.min(g.blocks(), (block / g.chunkBlocks() + 1) * g.chunkBlocks());
  }

  /** The physical chunk holding logical chunk {@code c}, with this epoch's moves. */
  long physical(long c) throws IOException {
    Long m = moved.get(c);
    if (m != null) {
      return m;
    }
    byte[] raw = new byte[ENTRY];
    pages.read(g.mapOffset() + c * ENTRY, raw, 0, ENTRY);
    return decode(c, ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  /** Whether a write of all of chunk {@code c}'s blocks can take a spare chunk. */
  boolean remappable(long c) {
    return g.spareChunks() > 0 && c < g.wholeChunks();
  }

  /**
   * A slot neither used in this epoch nor reserved, or -1 when there is none (the next checkpoint
   * frees the used ones; a reserved one frees itself when its write appends or gives up).
   */
  int freeSlot() {
    while (cursor < freed.length && freed[cursor] >= 0) {
      cursor++;
    }
    for (int k = cursor; k < freed.length; k++) {
      if (freed[k] < 0 && !reserved[k]) {
        return k;
      }
    }
    return -1;
  }

  /** Whether some slot has been used in this epoch, so a checkpoint would free one. */
  boolean anyUsed() {
    if (cursor > 0) {
      return true;
    }
    for (long f : freed) {
      if (f >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Takes a {@link #freeSlot} for a write that fills its chunk outside the lock, or -1. */
  int reserve() {
    int k = freeSlot();
    if (k >= 0) {
      reserved[k] = true;
    }
    return k;
  }

  /** Gives a reserved slot back unused (its write failed): its chunk still holds nothing. */
  void release(int k) {
    reserved[k] = false;
  }

  /** The free physical chunk slot {@code k} holds. */
  long slotChunk(int k) {
    return slots[k];
  }

  /**
   * Records that logical chunk {@code c} moved from {@code from} to slot {@code slot}'s chunk
   * {@code to} (a REMAP record, written or replayed); the slot receives {@code from} at the
   * checkpoint.
   */
  void move(long c, long to, long from, int slot) {
    moved.put(c, to);
    freed[slot] = from;
    reserved[slot] = false;
  }

  /** Whether a REMAP record's numbers fit this map (replay stops at one that does not). */
  boolean fits(JournalRecord r) {
    long cb = g.chunkBlocks();
    long total = g.chunks() + g.spareChunks();
    return g.remaps()
        && r.blocks().length == cb
        && r.blocks()[0] % cb == 0
        && r.blocks()[0] / cb < g.wholeChunks()
        && r.start() < total
        && r.from() < total
        && r.slot() < g.spareChunks()
        && r.start() != r.from();
  }

  /**
   * Writes this epoch's moves into the stored map (the checkpoint, before its sync): each moved
   * chunk's place and each used slot's new free chunk. The values come from the journal's records,
   * so a crash midway replays and writes the same bytes.
   */
  void write() throws IOException {
    TreeMap<Long, Long> entries = new TreeMap<>(moved);
    for (int k = 0; k < freed.length; k++) {
      if (freed[k] >= 0) {
        entries.put(g.chunks() + k, freed[k]);
      }
    }
    byte[] page = new byte[TagPages.PAGE];
    while (!entries.isEmpty()) {
      long first = entries.firstKey() * ENTRY / TagPages.PAGE * TagPages.PAGE; // in the map
      int length = (int) Math.min(TagPages.PAGE, g.mapLength() - first);
      long at = g.mapOffset() + first;
      store.readFully(at, page, 0, length);
      ByteBuffer b = ByteBuffer.wrap(page, 0, length).order(ByteOrder.LITTLE_ENDIAN);
      Map<Long, Long> inPage = entries.headMap((first + length) / ENTRY);
      for (Map.Entry<Long, Long> e : inPage.entrySet()) {
        long i = e.getKey();
        b.putLong((int) (i * ENTRY - first), e.getValue() == i ? 0 : e.getValue() + 1);
      }
      inPage.clear();
      pages.invalidate(at, length); // first: a write that fails midway leaves no page stale
      store.write(at, page, 0, length);
    }
  }

  /**
   * After the checkpoint: the moves are stored, and every slot holds a free chunk again. A reserved
   * slot was not used, so it keeps its chunk and its reservation.
   */
  void checkpointed() {
    for (int k = 0; k < freed.length; k++) {
      if (freed[k] >= 0) {
        slots[k] = freed[k];
        freed[k] = -1;
      }
    }
    moved.clear();
    cursor = 0;
  }

  /**
   * Checks that the stored map is a permutation before anything takes a free chunk: a damaged slot
   * naming a chunk in use would have the next overwrite destroy that chunk. Every entry is in
   * range, the slots are distinct and no logical chunk is in one, and the entries sum to those of
   * the identity, which any single damaged entry changes. Memory: the slot set only.
   *
   * @throws VolumeFormatException naming the first problem
   */
  void check(String name) throws IOException {
    long total = g.chunks() + g.spareChunks();
    Set<Long> free = new HashSet<>();
    for (long q : slots) {
      if (!free.add(q)) {
        throw damaged(name, "spare chunk " + q + " is in two slots");
      }
    }
    long sum = 0;
    byte[] raw = new byte[64 << 10];
    for (long i = 0; i < total; ) {
      int n = (int) Math.min(raw.length / ENTRY, total - i);
      store.readFully(g.mapOffset() + i * ENTRY, raw, 0, n * ENTRY);
      ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      for (int j = 0; j < n; j++, i++) {
        long q = decode(i, b.getLong(j * ENTRY));
        if (i < g.chunks() && free.contains(q)) {
          throw damaged(name, "chunk " + i + " and a spare slot both name physical chunk " + q);
        }
        sum += q - i;
      }
    }
    if (sum != 0) {
      throw damaged(name, "its entries are not a permutation");
    }
  }

  private VolumeFormatException damaged(String name, String what) {
    return new VolumeFormatException(name + ": the chunk map is damaged: " + what);
  }

  private long decode(long i, long raw) throws VolumeFormatException {
    long q = raw == 0 ? i : raw - 1;
    if (q < 0 || q >= g.chunks() + g.spareChunks()) {
      throw new VolumeFormatException(
          store.name()
              + ": chunk map entry "
              + i
              + " names physical chunk "
              + q
              + ", out of range");
    }
    return q;
  }
}
