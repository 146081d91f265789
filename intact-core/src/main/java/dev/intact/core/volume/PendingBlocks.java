package dev.intact.core.volume;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The open epoch's per-block states, by block number: in block order for ranges and the checkpoint,
 * and hashed for the lookups of one-block requests (4 KiB by default). A sorted map alone answers a
 * lookup by descending a tree of up to {@link Checkpointer#MAX_PENDING} nodes; with random reads
 * after a large write, those descents were the volume server's largest cost of its own
 * (BENCHMARKS.md, "Volume random reads"). Not thread-safe: the volume's lock guards it.
 */
final class PendingBlocks {
  private final TreeMap<Long, Pending> ordered = new TreeMap<>();
  private final HashMap<Long, Pending> hashed = new HashMap<>();

  /** Block {@code block}'s newest state is {@code state}. */
  void put(long block, Pending state) {
    ordered.put(block, state);
    hashed.put(block, state);
  }

  /** Block {@code block}'s state, or null if it has none. */
  Pending get(long block) {
    return hashed.get(block);
  }

  boolean contains(long block) {
    return hashed.containsKey(block);
  }

  /** Forgets the states of blocks {@code [start, end)}. */
  void clear(long start, long end) {
    SortedMap<Long, Pending> range = ordered.subMap(start, end);
    if (!range.isEmpty()) {
      for (Long block : range.keySet()) {
        hashed.remove(block);
      }
      range.clear();
    }
  }

  void clear() {
    ordered.clear();
    hashed.clear();
  }

  /** The states of blocks {@code [start, end)}, in block order; not to be changed. */
  Map<Long, Pending> range(long start, long end) {
    return Collections.unmodifiableSortedMap(ordered.subMap(start, end));
  }

  /** All states, in block order; not to be changed. */
  Map<Long, Pending> all() {
    return Collections.unmodifiableSortedMap(ordered);
  }

  int size() {
    return ordered.size();
  }

  boolean isEmpty() {
    return ordered.isEmpty();
  }
}
