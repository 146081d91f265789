package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Whole-chunk overwrites of a version-4 volume: the chunk's data goes once to a spare slot's free
 * chunk, and one REMAP record with its tags makes that chunk its place. The chunk's old place stays
 * as it was until the checkpoint makes the move durable, so a crash leaves the old content or the
 * new one. Everything but {@link #writeData} runs under the volume's write lock.
 */
final class ChunkMover {
  /**
   * A whole chunk of a write request that goes to the free chunk {@code to} of the reserved spare
   * slot {@code slot}: its data at {@code at} in the request, its tags at {@code tagAt} in the
   * request's tags.
   */
  record Fill(long chunk, int slot, long to, int at, int tagAt) {}

  private final WritableImage store;
  private final Geometry g;
  private final Journal journal;
  private final ChunkMap map;
  private final OpenEpoch epoch;
  private final Checkpointer checkpointer;
  private final WritebackBatch writeback;

  ChunkMover(
      WritableImage store,
      Geometry g,
      Journal journal,
      ChunkMap map,
      OpenEpoch epoch,
      Checkpointer checkpointer) {
    this.store = store;
    this.g = g;
    this.journal = journal;
    this.map = map;
    this.epoch = epoch;
    this.checkpointer = checkpointer;
    this.writeback = new WritebackBatch(store, Journal.WRITEBACK_BATCH);
  }

  /**
   * Reserves a slot for a whole-chunk write: one neither used in this epoch nor reserved. With none
   * left but some used, it checkpoints first, which frees those; -1 when every unused slot is
   * reserved by writes in flight (the chunk is then journaled).
   */
  int reserveSlot() throws IOException {
    if (map.freeSlot() < 0 && map.anyUsed()) {
      checkpointer.checkpoint(false);
    }
    return map.reserve();
  }

  /** Gives back the slot of a chunk that was not moved: its free chunk is referenced by nothing. */
  void release(int slot) {
    map.release(slot);
  }

  /**
   * Writes all of chunk {@code c} once, under the lock: to reserved slot {@code slot}'s free chunk,
   * then its REMAP record.
   */
  void moveNow(long c, int slot, byte[] data, int at, byte[] tags, int tagAt) throws IOException {
    long to = map.slotChunk(slot);
    long bytes = g.chunkBlocks() * g.blockSize();
    try {
      long place = g.chunkOffset(to);
      store.write(place, data, at, (int) bytes);
      writeback.written(place, bytes);
      appendMove(c, slot, to, tags, tagAt);
    } finally {
      map.release(slot); // unused if the move failed; a used slot keeps no reservation anyway
    }
  }

  /**
   * Writes each reserved chunk's data to its slot's free chunk, without the lock: nothing
   * references that chunk, and nobody else takes the slot.
   */
  void writeData(List<Fill> fills, byte[] src) throws IOException {
    long bytes = g.chunkBlocks() * g.blockSize();
    for (Fill f : fills) {
      long place = g.chunkOffset(f.to());
      store.write(place, src, f.at(), (int) bytes);
      // The checkpoint's sync must find the chunks on their way to the disk, not still to write.
      writeback.written(place, bytes);
    }
  }

  /**
   * Appends the REMAP records of {@code fills} whose data {@link #writeData} wrote ({@code
   * written}: all of them), under the lock. A failure anywhere gives the slots not appended back.
   */
  void appendMoves(List<Fill> fills, boolean written, byte[] tags) throws IOException {
    int appended = 0;
    try {
      for (; written && appended < fills.size(); appended++) {
        Fill f = fills.get(appended);
        appendMove(f.chunk(), f.slot(), f.to(), tags, f.tagAt());
      }
    } finally {
      for (int i = appended; i < fills.size(); i++) {
        map.release(fills.get(i).slot());
      }
    }
  }

  /**
   * Appends the REMAP record of chunk {@code c}, whose data is in slot {@code slot}'s chunk {@code
   * to}, and makes it the chunk's newest state. Where the chunk leaves from is read now, not when
   * the slot was reserved: another request may have moved the chunk meanwhile, and the chunk it
   * left must be the one it holds now (each physical chunk in exactly one place: the map stays a
   * permutation).
   */
  private void appendMove(long c, int slot, long to, byte[] tags, int tagAt) throws IOException {
    int n = (int) g.chunkBlocks();
    int tl = g.tagLength();
    checkpointer.makeRoom(Journal.remapRecordBytes(n, g), n);
    long from = map.physical(c);
    long[] blocks = new long[n];
    for (int i = 0; i < n; i++) {
      blocks[i] = c * n + i;
    }
    byte[] chunkTags = Arrays.copyOfRange(tags, tagAt, tagAt + n * tl);
    journal.appendRemap(blocks, chunkTags, to, from, slot);
    epoch.moved(c, to, from, slot, chunkTags);
  }
}
