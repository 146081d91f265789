package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The middle of a checkpoint: moves every pending block home, journaled data first, then the tag
 * entries. Long runs of data (sequential writes) are copied by the storage itself; both are batched
 * for random writes, whose blocks lie one after another in the journal but scattered at home: the
 * journal is read in order, up to 1 MiB at a time (one read, not one per block), and tag entries
 * are patched a window of up to 64 KiB of the tag area at a time (read, patch, one write; entries
 * of blocks not pending are written back as the store holds them, so a torn window write changes
 * nothing else). A crash midway replays the same journal and redoes all of it. Every tag-area page
 * it writes is forgotten by the tag page cache first.
 */
final class HomeWriter {
  /** A checkpoint reads the journal's data up to this much at a time. */
  private static final int APPLY_CHUNK = 1 << 20;

  /**
   * Runs of at least this much data go home by {@link WritableImage#copyWithin} (in the kernel, for
   * a file: no trip through user space); shorter ones, the scattered blocks of random writes, go
   * through one read of the journal per chunk, which costs fewer calls than a copy per block.
   */
  private static final int KERNEL_COPY_RUN = 64 << 10;

  /** A checkpoint rewrites the tag area up to this much at a time. */
  private static final int APPLY_ENTRY_WINDOW = 64 << 10;

  private final WritableImage store;
  private final Geometry g;
  private final TagPages tags;
  private final ChunkMap map;

  HomeWriter(WritableImage store, Geometry g, TagPages tags, ChunkMap map) {
    this.store = store;
    this.g = g;
    this.tags = tags;
    this.map = map;
  }

  /**
   * Writes the data and tag entries of every block the open epoch changed to their home places:
   * where the chunk map, with the open epoch's moves, puts them (journaled data of a block whose
   * chunk moved goes to its new chunk; a REMAP or HOME block's data is already there, so only the
   * per-block states are looked through for data to copy).
   */
  void apply(OpenEpoch epoch) throws IOException {
    copyJournalDataHome(epoch.blockStates());
    writePendingEntries(epoch.pending());
  }

  private void copyJournalDataHome(Iterable<Map.Entry<Long, Pending>> index) throws IOException {
    int bs = g.blockSize();
    List<long[]> copies = new ArrayList<>(); // {journal offset, home offset}, in journal order
    for (Map.Entry<Long, Pending> e : index) {
      Pending p = e.getValue();
      if (!p.zero()) {
        long home = map.offset(e.getKey());
        if (p.dataAt() != home) {
          copies.add(new long[] {p.dataAt(), home});
        }
      }
    }
    copies.sort((x, y) -> Long.compare(x[0], y[0]));
    // Blocks next to each other both in the journal and at home make one run.
    List<long[]> runs = new ArrayList<>(); // {journal offset, home offset, length}
    for (long[] c : copies) {
      long[] last = runs.isEmpty() ? null : runs.getLast();
      if (last != null && last[0] + last[2] == c[0] && last[1] + last[2] == c[1]) {
        last[2] += bs;
      } else {
        runs.add(new long[] {c[0], c[1], bs});
      }
    }
    int span = Math.max(bs, APPLY_CHUNK);
    byte[] chunk = new byte[0];
    // Home bytes copied but not yet handed to startWriteback: {start, end}.
    long[] unhinted = {0, 0};
    for (int i = 0; i < runs.size(); ) {
      long[] run = runs.get(i);
      if (run[2] >= KERNEL_COPY_RUN) {
        store.copyWithin(run[0], run[1], run[2]);
        if (run[1] != unhinted[1]) {
          startWriteback(unhinted);
          unhinted[0] = run[1];
        }
        unhinted[1] = run[1] + run[2];
        if (unhinted[1] - unhinted[0] >= Journal.WRITEBACK_BATCH) {
          startWriteback(unhinted);
        }
        i++;
        continue;
      }
      long from = run[0];
      int j = i + 1;
      while (j < runs.size()
          && runs.get(j)[2] < KERNEL_COPY_RUN
          && runs.get(j)[0] + runs.get(j)[2] - from <= span) {
        j++;
      }
      int length = (int) (runs.get(j - 1)[0] + runs.get(j - 1)[2] - from);
      if (chunk.length < length) {
        chunk = new byte[length];
      }
      store.readFully(from, chunk, 0, length);
      for (int k = i; k < j; k++) {
        long[] r = runs.get(k);
        store.write(r[1], chunk, (int) (r[0] - from), (int) r[2]);
      }
      i = j;
    }
    startWriteback(unhinted);
  }

  /**
   * Has the storage start writing a stretch of home data while the checkpoint copies the rest, so
   * its sync waits less; empties the stretch.
   */
  private void startWriteback(long[] stretch) throws IOException {
    store.startWriteback(stretch[0], stretch[1] - stretch[0]);
    stretch[0] = stretch[1];
  }

  private void writePendingEntries(Iterable<Map.Entry<Long, Pending>> index) throws IOException {
    int es = g.entrySize();
    long window = Math.max(1, APPLY_ENTRY_WINDOW / es); // blocks per window
    byte[] entries = new byte[0];
    List<Map.Entry<Long, Pending>> batch = new ArrayList<>();
    for (Map.Entry<Long, Pending> e : index) {
      if (!batch.isEmpty() && e.getKey() - batch.getFirst().getKey() >= window) {
        entries = writeEntryWindow(batch, entries);
        batch.clear();
      }
      batch.add(e);
    }
    if (!batch.isEmpty()) {
      writeEntryWindow(batch, entries);
    }
  }

  /** Reads the entries from the batch's first block to its last, patches the batch's, writes. */
  private byte[] writeEntryWindow(List<Map.Entry<Long, Pending>> batch, byte[] entries)
      throws IOException {
    int es = g.entrySize();
    long first = batch.getFirst().getKey();
    int length = (int) ((batch.getLast().getKey() - first + 1) * es);
    if (entries.length < length) {
      entries = new byte[length];
    }
    if (batch.size() * es < length) {
      store.readFully(g.entryOffset(first), entries, 0, length); // gaps keep what they hold
    }
    for (Map.Entry<Long, Pending> e : batch) {
      int at = (int) ((e.getKey() - first) * es);
      Pending p = e.getValue();
      if (p.zero()) {
        Arrays.fill(entries, at, at + es, (byte) 0);
      } else {
        entries[at] = 1;
        System.arraycopy(p.tag(), 0, entries, at + 1, es - 1);
      }
    }
    tags.invalidate(g.entryOffset(first), length);
    store.write(g.entryOffset(first), entries, 0, length);
    return entries;
  }
}
