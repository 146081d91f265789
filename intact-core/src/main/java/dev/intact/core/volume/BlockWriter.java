package dev.intact.core.volume;

import dev.intact.core.image.ReadOnlyImageException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A volume's write path: splits a write request into partial blocks (read-modify-write), whole
 * chunks that move to spare chunks ({@link ChunkMover}) and blocks written in place ({@link
 * InPlaceWriter}), tags them, and zeroes ranges in the metadata. It takes the volume's write lock
 * itself, and lets go of it for the per-byte work of whole-chunk overwrites.
 */
final class BlockWriter {
  private final String name;
  private final boolean writable;
  private final Geometry g;
  private final Tagger tagger;
  private final Journal journal;
  private final ChunkMap map;
  private final OpenEpoch epoch;
  private final BlockReader reader;
  private final Checkpointer checkpointer;
  private final ChunkMover mover;
  private final InPlaceWriter inPlace;
  private final ReentrantReadWriteLock lock;

  /** Signalled when the last write with chunks in flight (reserved, not yet appended) ends. */
  private final Condition settled;

  /** Writes whose reserved chunks are being written without the lock; the lock guards it. */
  private int inFlight;

  private boolean closed;

  BlockWriter(
      String name,
      boolean writable,
      Geometry g,
      Tagger tagger,
      Journal journal,
      ChunkMap map,
      OpenEpoch epoch,
      BlockReader reader,
      Checkpointer checkpointer,
      ChunkMover mover,
      InPlaceWriter inPlace,
      ReentrantReadWriteLock lock) {
    this.name = name;
    this.writable = writable;
    this.g = g;
    this.tagger = tagger;
    this.journal = journal;
    this.map = map;
    this.epoch = epoch;
    this.reader = reader;
    this.checkpointer = checkpointer;
    this.mover = mover;
    this.inPlace = inPlace;
    this.lock = lock;
    this.settled = lock.writeLock().newCondition();
  }

  /**
   * Writes in three steps, so that the per-byte work of whole-chunk overwrites runs outside the
   * write lock and concurrent requests (several NBD connections, or one connection's requests in
   * flight) overlap it: the tags of the whole blocks are computed first, without the lock; then,
   * under it, partial blocks and the blocks that stay in place are written as ever, and each whole
   * chunk that moves reserves a spare slot; then, without the lock, each such chunk's data goes to
   * its slot's free chunk; then, under the lock again, the REMAP records are appended. See "
   * Concurrency" in docs/volume-format.md for why every interleaving of these steps is safe.
   */
  void write(long position, byte[] src, int offset, int length) throws IOException {
    checkWrite(position, length);
    if (length == 0) {
      return;
    }
    int bs = g.blockSize();
    long firstWhole = (position + bs - 1) / bs;
    long endWhole = (position + length) / bs;
    // A tag depends only on the UUID, the block number and the data.
    byte[] tags =
        firstWhole < endWhole
            ? tag(
                firstWhole, endWhole - firstWhole, src, offset + (int) (firstWhole * bs - position))
            : null;
    List<ChunkMover.Fill> fills = new ArrayList<>();
    lock.writeLock().lock();
    try {
      if (closed) {
        throw new IOException(name + ": volume is closed");
      }
      writeLocked(position, src, offset, length, tags, fills);
      if (!fills.isEmpty()) {
        inFlight++;
      }
    } catch (IOException | RuntimeException e) {
      for (ChunkMover.Fill f : fills) {
        mover.release(f.slot());
      }
      throw e;
    } finally {
      lock.writeLock().unlock();
    }
    if (!fills.isEmpty()) {
      fill(fills, src, tags);
    }
  }

  /**
   * Writes each reserved chunk's data without the lock, then appends their REMAP records under it.
   * A failure anywhere gives the unused slots back: their chunks are still referenced by nothing.
   */
  private void fill(List<ChunkMover.Fill> fills, byte[] src, byte[] tags) throws IOException {
    boolean written = false;
    try {
      mover.writeData(fills, src);
      written = true;
    } finally {
      lock.writeLock().lock();
      try {
        try {
          mover.appendMoves(fills, written, tags);
        } finally {
          if (--inFlight == 0) {
            settled.signalAll();
          }
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /** The tags of {@code count} whole blocks from {@code first}, data at {@code data[at...]}. */
  private byte[] tag(long first, long count, byte[] data, int at) {
    int bs = g.blockSize();
    int tl = g.tagLength();
    byte[] tags = new byte[(int) count * tl];
    for (int i = 0; i < count; i++) {
      tagger.tag(first + i, data, at + i * bs, bs, tags, i * tl);
    }
    return tags;
  }

  /**
   * Writes under the lock. {@code tags} are those of the whole blocks (null: computed here); with
   * {@code fills}, a whole chunk that moves only reserves its slot and is added there for {@link
   * #fill}, else it is written at once.
   */
  private void writeLocked(
      long position, byte[] src, int offset, int length, byte[] tags, List<ChunkMover.Fill> fills)
      throws IOException {
    if (length == 0) {
      return;
    }
    int bs = g.blockSize();
    long end = position + length;
    long firstWhole = (position + bs - 1) / bs;
    long endWhole = end / bs;
    if (firstWhole >= endWhole) {
      // No whole block: one block, or the tail of one and the head of the next.
      for (long b = position / bs; b * bs < end; b++) {
        long from = Math.max(position, b * bs);
        long to = Math.min(end, (b + 1) * bs);
        writePartial(b, src, offset + (int) (from - position), (int) (from - b * bs), to - from);
      }
      return;
    }
    if (position < firstWhole * bs) {
      long b = firstWhole - 1;
      writePartial(b, src, offset, (int) (position - b * bs), firstWhole * bs - position);
    }
    int at = offset + (int) (firstWhole * bs - position);
    if (tags == null) {
      tags = tag(firstWhole, endWhole - firstWhole, src, at);
    }
    writeBlocks(firstWhole, endWhole - firstWhole, src, at, tags, fills);
    if (end > endWhole * bs) {
      writePartial(
          endWhole, src, offset + (int) (endWhole * bs - position), 0, end - endWhole * bs);
    }
  }

  /**
   * Read-modify-write of part of one block: {@code length} bytes at {@code into} in it, all under
   * the lock (the block's other bytes must be the ones it holds when it is written).
   */
  private void writePartial(long block, byte[] src, int offset, int into, long length)
      throws IOException {
    int bs = g.blockSize();
    byte[] data = new byte[bs];
    reader.readBlocks(block, 1, MemorySegment.ofArray(data), false, null);
    System.arraycopy(src, offset, data, into, (int) length);
    writeBlocks(block, 1, data, 0, tag(block, 1, data, 0), null);
  }

  /**
   * Writes {@code count} whole blocks from {@code data[at...]} with their {@code tags}. Each whole
   * chunk that holds something (a spare chunk is free) goes to a spare chunk with one REMAP record
   * (with {@code fills}: only reserved, for {@link #fill}); the rest as {@link
   * InPlaceWriter#write}, and so does a chunk that finds every unused slot reserved by writes in
   * flight.
   */
  private void writeBlocks(
      long first, long count, byte[] data, int at, byte[] tags, List<ChunkMover.Fill> fills)
      throws IOException {
    int bs = g.blockSize();
    int tl = g.tagLength();
    long cb = g.chunkBlocks();
    long done = first; // blocks before this are written
    for (long c = Math.ceilDiv(first, cb); (c + 1) * cb <= first + count; c++) {
      long c0 = c * cb;
      if (map.remappable(c) && inPlace.holdsSomething(c0, (int) cb)) {
        inPlace.write(
            done,
            c0 - done,
            data,
            at + (int) ((done - first) * bs),
            tags,
            (int) ((done - first) * tl));
        int a = at + (int) ((c0 - first) * bs);
        int ta = (int) ((c0 - first) * tl);
        int slot = mover.reserveSlot();
        if (slot < 0) {
          inPlace.write(c0, cb, data, a, tags, ta);
        } else if (fills != null) {
          fills.add(new ChunkMover.Fill(c, slot, map.slotChunk(slot), a, ta));
        } else {
          mover.moveNow(c, slot, data, a, tags, ta);
        }
        done = c0 + cb;
      }
    }
    inPlace.write(
        done,
        first + count - done,
        data,
        at + (int) ((done - first) * bs),
        tags,
        (int) ((done - first) * tl));
  }

  /**
   * Zeros {@code [position, position + length)}: whole blocks in the metadata alone (one ZERO
   * record; {@code punch}: their data area is deallocated at the checkpoint), partial ones written
   * as zeros.
   */
  void zero(long position, long length, boolean punch) throws IOException {
    checkWrite(position, length);
    if (length == 0) {
      return;
    }
    int bs = g.blockSize();
    long end = position + length;
    long first = (position + bs - 1) / bs;
    long last = end / bs;
    lock.writeLock().lock();
    try {
      if (first >= last) {
        writeZeros(position, length);
        return;
      }
      writeZeros(position, first * bs - position);
      writeZeros(last * bs, end - last * bs);
      if (!journal.fits(JournalCodec.SECTOR)) {
        checkpointer.checkpoint(false);
      }
      journal.appendZero(first, last - first, punch);
      epoch.zeroed(first, last, punch);
      if (epoch.tooManyRuns()) {
        checkpointer.checkpoint(false);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void writeZeros(long position, long length) throws IOException {
    if (length > 0) {
      writeLocked(position, new byte[(int) length], 0, (int) length, null, null);
    }
  }

  /** Refuses a write to a read-only or closed volume, or past its end. */
  void checkWrite(long position, long length) throws IOException {
    if (!writable) {
      throw new ReadOnlyImageException(name);
    }
    if (closed) {
      throw new IOException(name + ": volume is closed");
    }
    if (position < 0 || length < 0 || position > g.size() - length) {
      throw new IOException(
          name + ": write of " + length + " bytes at " + position + " is past the end " + g.size());
    }
  }

  /**
   * Refuses writes from now on and waits, under the write lock, for those that reserved slots
   * before (so that the closing checkpoint makes them durable, and the storage is not closed under
   * their data writes). False when the volume was already closed.
   */
  boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    while (inFlight > 0) {
      settled.awaitUninterruptibly();
    }
    return true;
  }
}
