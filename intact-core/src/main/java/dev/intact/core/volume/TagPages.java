package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A bounded cache of the tag area's 4 KiB pages, so a read does not pay a pread for its blocks' tag
 * entries before the pread of their data (and the NBD server's extent lookup before a read does not
 * pay another). Bounded by {@link #BUDGET} whatever the volume's size (the tag area of 1 TiB of 4
 * KiB crc32c blocks is 1.3 GiB); pages are evicted by the clock algorithm, which approximates LRU
 * with one reference bit per page and no list to update on every hit.
 *
 * <p>It caches the tag area <em>as stored</em>; the volume's pending state (journal not yet
 * checkpointed) takes precedence over it as it does over the stored entries. The volume writes the
 * tag area only in a checkpoint, under its write lock, and calls {@link #invalidate} for every
 * range it writes there, so no reader can see a page older than the store. Loads run outside this
 * object's lock (concurrent readers hold the volume's read lock, which excludes checkpoints), so
 * two readers may load the same page; the second copy is identical and dropped.
 */
final class TagPages {
  static final int PAGE = 4096;

  /**
   * Memory for cached pages: 4,096 pages, the tags of 13 GiB of 4 KiB crc32c blocks, while the
   * server's peak RSS stays well inside its 256 MiB bound.
   */
  static final long BUDGET = 16L << 20;

  private final WritableImage store;
  private final long areaOffset;
  private final long areaLength;
  private final long[] pageOf; // per slot: the page it holds, or -1
  private final byte[][] bytes;
  private final boolean[] referenced;
  private final Map<Long, Integer> slotOf = new HashMap<>();
  private int hand;

  TagPages(WritableImage store, Geometry g) {
    this(store, g, BUDGET);
  }

  TagPages(WritableImage store, Geometry g, long budget) {
    this(store, g.tagOffset(), g.tagAreaLength(), budget);
  }

  /**
   * A cache of another metadata area that only a checkpoint writes, under the same rules: the chunk
   * map ({@link ChunkMap}).
   */
  TagPages(WritableImage store, long areaOffset, long areaLength, long budget) {
    this.store = store;
    this.areaOffset = areaOffset;
    this.areaLength = areaLength;
    int slots = (int) Math.max(1, Math.min(budget / PAGE, (areaLength + PAGE - 1) / PAGE));
    this.pageOf = new long[slots];
    Arrays.fill(pageOf, -1);
    this.bytes = new byte[slots][];
    this.referenced = new boolean[slots];
  }

  /** Copies {@code length} bytes of the tag area at store offset {@code at} into {@code dst}. */
  void read(long at, byte[] dst, int offset, int length) throws IOException {
    long rel = at - areaOffset;
    if (rel < 0 || length < 0 || rel > areaLength - length) {
      throw new IOException(
          store.name()
              + ": tag read of "
              + length
              + " bytes at "
              + at
              + " is outside the metadata area");
    }
    for (int done = 0; done < length; ) {
      long page = (rel + done) / PAGE;
      int in = (int) ((rel + done) % PAGE);
      int n = Math.min(length - done, PAGE - in);
      byte[] p = page(page);
      System.arraycopy(p, in, dst, offset + done, n);
      done += n;
    }
  }

  private byte[] page(long page) throws IOException {
    synchronized (this) {
      Integer slot = slotOf.get(page);
      if (slot != null) {
        referenced[slot] = true;
        return bytes[slot];
      }
    }
    long start = page * PAGE;
    byte[] p = new byte[(int) Math.min(PAGE, areaLength - start)];
    store.readFully(areaOffset + start, p, 0, p.length);
    synchronized (this) {
      if (!slotOf.containsKey(page)) {
        int slot = victim();
        if (pageOf[slot] >= 0) {
          slotOf.remove(pageOf[slot]);
        }
        pageOf[slot] = page;
        bytes[slot] = p;
        referenced[slot] = false; // a page read once is the first to go
        slotOf.put(page, slot);
      }
    }
    return p;
  }

  /** The clock hand's next slot that is empty or not referenced since it last passed. */
  private int victim() {
    while (true) {
      int s = hand;
      hand = (hand + 1) % pageOf.length;
      if (pageOf[s] < 0 || !referenced[s]) {
        return s;
      }
      referenced[s] = false;
    }
  }

  /** Forgets the pages overlapping {@code length} bytes at store offset {@code at}. */
  synchronized void invalidate(long at, long length) {
    if (length <= 0) {
      return;
    }
    long first = Math.max(0, at - areaOffset) / PAGE;
    long last = Math.max(0, at + length - 1 - areaOffset) / PAGE;
    if (last - first < pageOf.length) {
      for (long page = first; page <= last; page++) {
        Integer slot = slotOf.remove(page);
        if (slot != null) {
          drop(slot);
        }
      }
    } else { // a range longer than the cache (a trim of most of the volume): look at every slot
      for (int s = 0; s < pageOf.length; s++) {
        if (pageOf[s] >= first && pageOf[s] <= last) {
          slotOf.remove(pageOf[s]);
          drop(s);
        }
      }
    }
  }

  private void drop(int slot) {
    pageOf[slot] = -1;
    bytes[slot] = null;
    referenced[slot] = false;
  }
}
