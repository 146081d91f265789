package dev.intact.core.volume;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.WritableImage;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A volume's read path: reads blocks and checks each against its tag (its pending state in the open
 * epoch, else its entry in the tag area), verifies ranges for check, scrub and repair, and tells
 * zero extents from data by the metadata alone. Reads hold the volume's read lock; the write path
 * calls {@link #readBlocks} under the write lock for its read-modify-writes.
 */
final class BlockReader {
  // Mismatches are logged as the volume's, as operators know them.
  private static final Logger log = LoggerFactory.getLogger(Volume.class);
  private static final int SCAN_ENTRIES = 4096;

  private final WritableImage store;
  private final String name;
  private final Geometry g;
  private final Tagger tagger;
  private final TagPages tags;
  private final ChunkMap map;
  private final OpenEpoch epoch;
  private final ReadWriteLock lock;
  private final AtomicLong mismatches;

  BlockReader(
      WritableImage store,
      String name,
      Geometry g,
      Tagger tagger,
      TagPages tags,
      ChunkMap map,
      OpenEpoch epoch,
      ReadWriteLock lock,
      AtomicLong mismatches) {
    this.store = store;
    this.name = name;
    this.g = g;
    this.tagger = tagger;
    this.tags = tags;
    this.map = map;
    this.epoch = epoch;
    this.lock = lock;
    this.mismatches = mismatches;
  }

  /** Reads and verifies {@code dst.byteSize()} bytes of the volume at {@code position}. */
  void read(long position, MemorySegment dst, boolean direct) throws IOException {
    long length = dst.byteSize();
    if (position < 0 || position > g.size() - length) {
      throw new EOFException(
          name + ": read of " + length + " bytes at " + position + " is past the end " + g.size());
    }
    int bs = g.blockSize();
    int chunkBlocks = Math.max(1, (1 << 20) / bs);
    lock.readLock().lock();
    try {
      long end = position + length;
      for (long pos = position; pos < end; ) {
        long block = pos / bs;
        long blockStart = block * bs;
        int n = (int) Math.min(chunkBlocks, (end - blockStart + bs - 1) / bs);
        long want = Math.min(end - pos, (long) n * bs - (pos - blockStart));
        MemorySegment target = dst.asSlice(pos - position, want);
        if (pos == blockStart && want == (long) n * bs) {
          readBlocks(block, n, target, direct, null);
        } else {
          MemorySegment tmp = MemorySegment.ofArray(new byte[n * bs]);
          readBlocks(block, n, tmp, direct, null);
          MemorySegment.copy(tmp, pos - blockStart, target, 0, want);
        }
        pos += want;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Reads and verifies blocks {@code [first, first + n)} into {@code dst} ({@code n} blocks long):
   * their tag entries from the tag page cache, the data of the blocks at home in one read, each
   * journaled block from the journal. The data is always read and checked; only the entries are
   * cached. Read-back ({@code direct}) and verification ({@code sink}: check, scrub of a path,
   * repair) read the entries from the store instead, since they exist to prove what the store
   * holds. A mismatch goes to {@code sink} when there is one (the block's bytes are left as read),
   * else it is thrown. The caller holds the volume's lock.
   */
  void readBlocks(long first, int n, MemorySegment dst, boolean direct, Consumer<Mismatch> sink)
      throws IOException {
    int bs = g.blockSize();
    int es = g.entrySize();
    byte[] entries = new byte[n * es];
    if (direct || sink != null) {
      readStore(g.entryOffset(first), MemorySegment.ofArray(entries), direct);
    } else {
      tags.read(g.entryOffset(first), entries, 0, entries.length);
    }
    Pending[] pending = epoch.states(first, n);
    boolean[] home = new boolean[n];
    // Data is contiguous within a chunk: one read per chunk the range touches.
    for (int from = 0; from < n; ) {
      int to = (int) Math.min(n, map.chunkEnd(first + from) - first);
      long at = map.offset(first + from);
      int lo = to;
      int hi = -1;
      for (int i = from; i < to; i++) {
        Pending p = pending[i];
        // A block is at home when its entry says so or its pending state's data went straight to
        // its place (a HOME or REMAP write): those come in the one read below, not a pread each.
        home[i] =
            p == null
                ? !zeroEntry(entries, i * es)
                : !p.zero() && p.dataAt() == at + (long) (i - from) * bs;
        if (home[i]) {
          lo = Math.min(lo, i);
          hi = i;
        }
      }
      if (hi >= lo) {
        readStore(
            at + (long) (lo - from) * bs,
            dst.asSlice((long) lo * bs, (long) (hi - lo + 1) * bs),
            direct);
      }
      from = to;
    }
    int tl = g.tagLength();
    byte[] actual = new byte[tl];
    // One buffer over the request, its window moved block by block: no buffer per block.
    ByteBuffer blocks = dst.asByteBuffer();
    for (int i = 0; i < n; i++) {
      long b = first + i;
      Pending p = pending[i];
      if ((p != null && p.zero()) || (p == null && zeroEntry(entries, i * es))) {
        dst.asSlice((long) i * bs, bs).fill((byte) 0);
        continue;
      }
      if (!home[i]) {
        readStore(p.dataAt(), dst.asSlice((long) i * bs, bs), direct);
      }
      blocks.limit((i + 1) * bs).position(i * bs);
      tagger.tag(b, blocks, actual, 0);
      // Compared where the tag lies (pending tag or the entry read above): no copy per block.
      boolean validEntry = p != null || entries[i * es] == 1;
      boolean matches =
          p != null
              ? Arrays.equals(p.tag(), actual)
              : validEntry && Arrays.equals(entries, i * es + 1, (i + 1) * es, actual, 0, tl);
      if (matches) {
        continue;
      }
      byte[] expected = p != null ? p.tag() : Arrays.copyOfRange(entries, i * es + 1, (i + 1) * es);
      HexFormat hex = HexFormat.of();
      String exp =
          validEntry
              ? hex.formatHex(expected)
              : "entry:" + hex.formatHex(entries, i * es, (i + 1) * es);
      Mismatch m = new Mismatch(b, exp, hex.formatHex(actual));
      if (sink != null) {
        sink.accept(m);
      } else {
        throw mismatch(m);
      }
    }
  }

  private ChecksumMismatchException mismatch(Mismatch m) {
    long count = mismatches.incrementAndGet();
    ByteRange range = blockRange(m.block());
    log.warn(
        "{}: block {} {} fails its {} tag: expected {} actual {} ({} mismatches so far)",
        name,
        m.block(),
        range,
        tagger.algorithm().tagName(),
        m.expected(),
        m.actual(),
        count);
    return new ChecksumMismatchException(
        name, range, tagger.algorithm().tagName(), m.expected(), m.actual());
  }

  /** The bytes of {@code block} in the volume's address space. */
  ByteRange blockRange(long block) {
    return new ByteRange(block * g.blockSize(), (block + 1) * g.blockSize());
  }

  /**
   * Whether the entry at {@code at} is all zeros: the block reads as zeros (as of the last
   * checkpoint).
   */
  boolean zeroEntry(byte[] entries, int at) {
    return allZero(entries, at, at + g.entrySize());
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads {@code dst.byteSize()} bytes of the store at {@code at}: a heap array's slice with the
   * array read (the only form {@code readDirect} has, and its only callers), native memory with
   * pread straight into it.
   */
  private void readStore(long at, MemorySegment dst, boolean direct) throws IOException {
    if (dst.heapBase().orElse(null) instanceof byte[] array) {
      // A heap segment's address is its offset in the array.
      int off = (int) dst.address();
      int len = (int) dst.byteSize();
      if (direct) {
        store.readDirect(at, array, off, len);
      } else {
        store.readFully(at, array, off, len);
      }
    } else {
      store.readFully(at, dst);
    }
  }

  /**
   * Verifies blocks {@code [first, first + count)} and hands every mismatch to {@code sink} instead
   * of failing (check, scrub and repair use it). Mismatches found here are not counted as served
   * errors.
   */
  void verify(long first, long count, Consumer<Mismatch> sink) throws IOException {
    int bs = g.blockSize();
    int chunk = Math.max(1, (1 << 20) / bs);
    MemorySegment buf = MemorySegment.ofArray(new byte[chunk * bs]);
    lock.readLock().lock();
    try {
      for (long b = first; b < first + count; b += chunk) {
        int n = (int) Math.min(chunk, first + count - b);
        readBlocks(b, n, buf.asSlice(0, (long) n * bs), false, sink);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The extent at {@code position}: zeros or data as the metadata says, as far as it stays so (up
   * to {@code end}).
   */
  Extent extentAt(long position, long end) throws IOException {
    int bs = g.blockSize();
    // An end past the volume (a caller asking for "as far as it goes") stops at its last block.
    long last = Math.min((end + bs - 1) / bs, g.blocks());
    lock.readLock().lock();
    try {
      long b = position / bs;
      long limit = Math.min(Math.max(last, b + 1), b + 16L * SCAN_ENTRIES);
      // Sized to the request (one entry for a 4 KiB read), not to the longest scan.
      int window = (int) Math.min(SCAN_ENTRIES, limit - b);
      byte[] entries = new byte[window * g.entrySize()];
      boolean zero = false;
      long next = b;
      while (next < limit) {
        int n = (int) Math.min(window, limit - next);
        tags.read(g.entryOffset(next), entries, 0, n * g.entrySize());
        Pending[] pending = epoch.states(next, n);
        if (next == b) {
          zero = blockIsZero(pending[0], entries, 0);
        }
        int i = 0;
        while (i < n && blockIsZero(pending[i], entries, i * g.entrySize()) == zero) {
          i++;
        }
        next += i;
        if (i < n) {
          break;
        }
      }
      return new Extent(position, Math.min(next * bs, end) - position, zero);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether a block reads as zeros from the metadata alone: its pending state, else its entry. */
  private boolean blockIsZero(Pending p, byte[] entries, int at) {
    return p != null ? p.zero() : allZero(entries, at, at + g.entrySize());
  }
}
