package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;

/**
 * Gathers the data writes of whole chunks moved to spare chunks into stretches of the storage, and
 * asks the storage to start writing a stretch ({@link WritableImage#startWriteback}) once it is
 * {@link Journal#WRITEBACK_BATCH} long or the next write lands elsewhere: one call and one request
 * to the disk for several chunks, not one each (each request costs the disk driver as much as
 * megabytes of copying). A sequential overwrite fills spare chunks that lie one after another, in
 * whatever order the requests in flight finish. A stretch left when the writes stop is not hinted:
 * the checkpoint's sync writes it. Thread-safe: writes in flight report their chunks without the
 * volume's lock.
 */
final class WritebackBatch {
  private final WritableImage store;
  private final long batch;

  /** The stretch written and not yet hinted: {@code [start, end)}, empty when equal. */
  private long start;

  private long end;

  WritebackBatch(WritableImage store, long batch) {
    this.store = store;
    this.batch = batch;
  }

  /** Notes that {@code [place, place + bytes)} was written; hints whatever stretch is done. */
  void written(long place, long bytes) throws IOException {
    long[] done = null;
    long[] full = null;
    synchronized (this) {
      if (end > start && place == end) {
        end += bytes;
      } else if (end > start && place + bytes == start) {
        start = place;
      } else {
        if (end > start) {
          done = new long[] {start, end};
        }
        start = place;
        end = place + bytes;
      }
      if (end - start >= batch) {
        full = new long[] {start, end};
        start = end;
      }
    }
    // Outside the monitor: the call may wait for the disk's queue, and other writes need not.
    if (done != null) {
      store.startWriteback(done[0], done[1] - done[0]);
    }
    if (full != null) {
      store.startWriteback(full[0], full[1] - full[0]);
    }
  }
}
