package dev.intact.core.volume;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * What the open journal epoch changed, newer than the stored tag area and chunk map: each block's
 * newest state (its data in the journal, at its place, or in the chunk it moved to, with its tag;
 * or zeroed), the zeroed runs, and the trimmed storage ranges to deallocate; the chunks moved are
 * kept by the {@link ChunkMap}. Writes and replay fill it alike, so a read-only open sees what the
 * journal committed; a checkpoint writes it out and empties it. Not thread-safe: the volume's lock
 * guards it.
 */
final class OpenEpoch {
  /** Zeroed runs or trimmed ranges allowed before a checkpoint, so they stay a bounded list. */
  static final int MAX_ZERO_RUNS = 4096;

  private final Geometry g;
  private final ChunkMap map;

  /** Each block's newest state not yet checkpointed: data (dataAt, tag), or zero. */
  private final PendingBlocks index = new PendingBlocks();

  /**
   * Chunks moved whole in this epoch, by logical chunk: the newest state of each of their blocks
   * unless {@link #index} has a newer one. One entry per chunk, not one per block: a sequential
   * overwrite moves every chunk it writes, and a tree node, a state and a tag array per block cost
   * more than the rest of the metadata of the write.
   */
  private final TreeMap<Long, Moved> moves = new TreeMap<>();

  /** A chunk's blocks lie in physical chunk {@code to}, with {@code tags}, one after another. */
  @SuppressWarnings("ArrayRecordComponent") // private; the tag array is never changed
  private record Moved(long to, byte[] tags) {}

  /** Zeroed runs not yet checkpointed: start block to end block, disjoint. */
  private final TreeMap<Long, Long> zeroRuns = new TreeMap<>();

  /**
   * Storage ranges {offset, length, logical chunk} of trimmed blocks, deallocated at the next
   * checkpoint: where the blocks lay when trimmed. A later move of their chunk in this epoch drops
   * them: the chunk left behind is free garbage after the checkpoint anyway, and a replay after a
   * checkpoint torn once it wrote the chunk map would compute the range from the new map entry, the
   * chunk moved to.
   */
  private final List<long[]> punches = new ArrayList<>();

  OpenEpoch(Geometry g, ChunkMap map) {
    this.g = g;
    this.map = map;
  }

  /** Block {@code blocks[i]} now holds data at {@code dataAt[i]} with the {@code i}th tag. */
  void wrote(long[] blocks, long[] dataAt, byte[] tags) {
    int tl = g.tagLength();
    for (int i = 0; i < blocks.length; i++) {
      index.put(blocks[i], new Pending(dataAt[i], Arrays.copyOfRange(tags, i * tl, (i + 1) * tl)));
    }
  }

  /** All of chunk {@code c} now lies in physical chunk {@code to}, taken from {@code slot}. */
  void moved(long c, long to, long from, int slot, byte[] tags) {
    long n = g.chunkBlocks();
    index.clear(c * n, (c + 1) * n);
    moves.put(c, new Moved(to, tags));
    map.move(c, to, from, slot);
    punches.removeIf(p -> p[2] == c);
  }

  /** Blocks {@code [start, end)} read as zeros; with {@code punch}, their data may go. */
  void zeroed(long start, long end, boolean punch) throws IOException {
    if (punch) {
      for (long b = start; b < end; ) {
        long e = Math.min(end, map.chunkEnd(b));
        punches.add(new long[] {map.offset(b), (e - b) * g.blockSize(), b / g.chunkBlocks()});
        b = e;
      }
    }
    index.clear(start, end);
    unmove(start, end);
    Map.Entry<Long, Long> before = zeroRuns.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    Map.Entry<Long, Long> after;
    while ((after = zeroRuns.ceilingEntry(start)) != null && after.getKey() <= end) {
      end = Math.max(end, after.getValue());
      zeroRuns.remove(after.getKey());
    }
    zeroRuns.put(start, end);
  }

  /**
   * Ends the moved-chunk states of blocks {@code [start, end)} (zeroed now): each moved chunk they
   * touch keeps its other blocks' states as per-block states in the index, unless the index has
   * newer ones.
   */
  private void unmove(long start, long end) {
    long n = g.chunkBlocks();
    long last = (end - 1) / n;
    for (Map.Entry<Long, Moved> e : new ArrayList<>(moves.subMap(start / n, last + 1).entrySet())) {
      long c0 = e.getKey() * n;
      for (long b = c0; b < c0 + n; b++) {
        if ((b < start || b >= end) && !index.contains(b)) {
          index.put(b, state(e.getKey(), e.getValue(), b));
        }
      }
      moves.remove(e.getKey());
    }
  }

  /** The state of block {@code b} of moved chunk {@code c}. */
  private Pending state(long c, Moved m, long b) {
    int i = (int) (b - c * g.chunkBlocks());
    int tl = g.tagLength();
    return new Pending(
        g.chunkOffset(m.to()) + (long) i * g.blockSize(),
        Arrays.copyOfRange(m.tags(), i * tl, (i + 1) * tl));
  }

  /** Replays one committed record, as if it had just been written. */
  void apply(Journal.Replayed r) throws IOException {
    JournalRecord rec = r.record();
    long[] blocks = rec.blocks();
    switch (rec.type()) {
      case JournalRecord.WRITE -> {
        long[] dataAt = new long[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
          dataAt[i] = r.dataAt() + (long) i * g.blockSize();
        }
        wrote(blocks, dataAt, rec.tags());
      }
      case JournalRecord.HOME -> {
        long[] dataAt = new long[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
          dataAt[i] = map.offset(blocks[i]);
        }
        wrote(blocks, dataAt, rec.tags());
      }
      case JournalRecord.REMAP ->
          moved(blocks[0] / g.chunkBlocks(), rec.start(), rec.from(), rec.slot(), rec.tags());
      case JournalRecord.ZERO -> zeroed(rec.start(), rec.start() + rec.count(), rec.punch());
      default -> {}
    }
  }

  /**
   * The state of each of blocks {@code [first, first + n)}: its pending state, {@link
   * Pending#ZEROED} in a zeroed run, or null (the tag area says). Looked up once for the range, not
   * per block: after writes of a few hundred MiB the index holds many blocks.
   */
  Pending[] states(long first, int n) {
    Pending[] states = new Pending[n];
    if (n == 1) { // one block (4 KiB by default): a lookup per map, not a range view and iterator
      states[0] = state(first);
      return states;
    }
    long end = first + n;
    if (!zeroRuns.isEmpty()) {
      Long from = zeroRuns.floorKey(first);
      for (Map.Entry<Long, Long> z : zeroRuns.tailMap(from == null ? first : from).entrySet()) {
        if (z.getKey() >= end) {
          break;
        }
        for (long b = Math.max(first, z.getKey()); b < Math.min(end, z.getValue()); b++) {
          states[(int) (b - first)] = Pending.ZEROED;
        }
      }
    }
    if (!moves.isEmpty()) { // a move, after its blocks' zeroing, comes before it
      long cb = g.chunkBlocks();
      for (Map.Entry<Long, Moved> e : moves.subMap(first / cb, (end - 1) / cb + 1).entrySet()) {
        long c0 = e.getKey() * cb;
        for (long b = Math.max(first, c0); b < Math.min(end, c0 + cb); b++) {
          states[(int) (b - first)] = state(e.getKey(), e.getValue(), b);
        }
      }
    }
    if (!index
        .isEmpty()) { // a block's journal state, written after its zeroing or move, comes first
      for (Map.Entry<Long, Pending> e : index.range(first, end).entrySet()) {
        states[(int) (e.getKey() - first)] = e.getValue();
      }
    }
    return states;
  }

  /** What {@link #states} gives for one block: the newest of its journal, move or zeroed state. */
  private Pending state(long block) {
    Pending p = index.get(block);
    if (p != null) {
      return p;
    }
    long cb = g.chunkBlocks();
    Moved m = moves.get(block / cb);
    if (m != null) {
      return state(block / cb, m, block);
    }
    Map.Entry<Long, Long> z = zeroRuns.floorEntry(block);
    return z != null && block < z.getValue() ? Pending.ZEROED : null;
  }

  /** Whether the epoch has any state for {@code block}. */
  boolean names(long block) {
    if (index.contains(block) || moves.containsKey(block / g.chunkBlocks())) {
      return true;
    }
    Map.Entry<Long, Long> z = zeroRuns.floorEntry(block);
    return z != null && block < z.getValue();
  }

  /** Blocks with data or zeroed state in the index (what bounds its memory). */
  int blocks() {
    return index.size() + moves.size() * (int) g.chunkBlocks();
  }

  boolean isEmpty() {
    return index.isEmpty() && zeroRuns.isEmpty() && moves.isEmpty();
  }

  /** Whether the zeroed runs or trimmed ranges reached their bound. */
  boolean tooManyRuns() {
    return zeroRuns.size() > MAX_ZERO_RUNS || punches.size() > MAX_ZERO_RUNS;
  }

  /**
   * The per-block states alone, in block order: every block whose data may lie elsewhere than its
   * place (a moved chunk's blocks lie at theirs).
   */
  Iterable<Map.Entry<Long, Pending>> blockStates() {
    return index.all().entrySet();
  }

  /**
   * Every block with a data or zero state, in block order, each with its newest state: a per-block
   * one before its chunk's move. The moved blocks' states are made as the iteration reaches them.
   */
  Iterable<Map.Entry<Long, Pending>> pending() {
    return () ->
        new Iterator<>() {
          private final Iterator<Map.Entry<Long, Pending>> blocks =
              index.all().entrySet().iterator();
          private final Iterator<Map.Entry<Long, Moved>> chunks = moves.entrySet().iterator();
          private Map.Entry<Long, Pending> block = nextOf(blocks);
          private Map.Entry<Long, Moved> chunk = nextOf(chunks);
          private long b = chunk == null ? 0 : chunk.getKey() * g.chunkBlocks();

          @Override
          public boolean hasNext() {
            return block != null || chunk != null;
          }

          @Override
          public Map.Entry<Long, Pending> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            if (chunk == null || (block != null && block.getKey() <= b)) {
              Map.Entry<Long, Pending> e = block;
              if (chunk != null && block.getKey() == b) {
                advanceChunk(); // the block's own state is newer than its chunk's move
              }
              block = nextOf(blocks);
              return e;
            }
            Map.Entry<Long, Pending> e = Map.entry(b, state(chunk.getKey(), chunk.getValue(), b));
            advanceChunk();
            return e;
          }

          private void advanceChunk() {
            if (++b == (chunk.getKey() + 1) * g.chunkBlocks()) {
              chunk = nextOf(chunks);
              if (chunk != null) {
                b = chunk.getKey() * g.chunkBlocks();
              }
            }
          }
        };
  }

  private static <T> T nextOf(Iterator<T> i) {
    return i.hasNext() ? i.next() : null;
  }

  Map<Long, Long> zeroRuns() {
    return Collections.unmodifiableMap(zeroRuns);
  }

  /** The trimmed storage ranges, {offset, length, chunk}. */
  List<long[]> punches() {
    return Collections.unmodifiableList(punches);
  }

  /** After a checkpoint wrote it all. */
  void clear() {
    index.clear();
    moves.clear();
    zeroRuns.clear();
    punches.clear();
  }
}
