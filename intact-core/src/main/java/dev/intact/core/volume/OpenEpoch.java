package dev.intact.core.volume;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
  private final TreeMap<Long, Pending> index = new TreeMap<>();

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
    int n = (int) g.chunkBlocks();
    long[] blocks = new long[n];
    long[] dataAt = new long[n];
    for (int i = 0; i < n; i++) {
      blocks[i] = c * n + i;
      dataAt[i] = g.chunkOffset(to) + (long) i * g.blockSize();
    }
    wrote(blocks, dataAt, tags);
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
    index.subMap(start, end).clear();
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
    if (!index.isEmpty()) { // a block's journal state, written after its zeroing, comes first
      for (Map.Entry<Long, Pending> e : index.subMap(first, end).entrySet()) {
        states[(int) (e.getKey() - first)] = e.getValue();
      }
    }
    return states;
  }

  /** Whether the epoch has any state for {@code block}. */
  boolean names(long block) {
    if (index.containsKey(block)) {
      return true;
    }
    Map.Entry<Long, Long> z = zeroRuns.floorEntry(block);
    return z != null && block < z.getValue();
  }

  /** Blocks with data or zeroed state in the index (what bounds its memory). */
  int blocks() {
    return index.size();
  }

  boolean isEmpty() {
    return index.isEmpty() && zeroRuns.isEmpty();
  }

  /** Whether the zeroed runs or trimmed ranges reached their bound. */
  boolean tooManyRuns() {
    return zeroRuns.size() > MAX_ZERO_RUNS || punches.size() > MAX_ZERO_RUNS;
  }

  SortedMap<Long, Pending> pending() {
    return Collections.unmodifiableSortedMap(index);
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
    zeroRuns.clear();
    punches.clear();
  }
}
