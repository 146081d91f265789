package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A volume's durability: commits the journal on a flush, checkpoints (moves the open epoch's blocks
 * and tags home and starts a new journal epoch), and owns the superblock, which each checkpoint,
 * upgrade and recorded scrub rewrites. Every method runs under the volume's write lock, which the
 * caller holds.
 */
final class Checkpointer {
  private static final Logger log = LoggerFactory.getLogger(Volume.class);

  private final WritableImage store;
  private final String name;
  private final Geometry g;
  private final Journal journal;
  private final TagPages tags;
  private final HomeWriter homeWriter;
  private final ChunkMap map;
  private final OpenEpoch epoch;
  private final AtomicLong mismatches;

  private Superblock sb;

  /** Whether a checkpoint of this open left records of a past epoch in the journal. */
  private boolean journalWritten;

  Checkpointer(
      WritableImage store,
      String name,
      Superblock sb,
      Journal journal,
      TagPages tags,
      ChunkMap map,
      OpenEpoch epoch,
      AtomicLong mismatches) {
    this.store = store;
    this.name = name;
    this.sb = sb;
    this.g = sb.geometry();
    this.journal = journal;
    this.tags = tags;
    this.map = map;
    this.epoch = epoch;
    this.mismatches = mismatches;
    this.homeWriter = new HomeWriter(store, g, tags, map);
  }

  /**
   * Pending blocks allowed before a checkpoint, whatever the journal's length: at most about 16 MiB
   * of index (about 128 bytes per block with a 32-byte tag), so the server's memory does not grow
   * with the volume. HOME records fill the journal slowly (a few bytes per block), so this, not the
   * journal, decides how often sequential writes into fresh space pay a checkpoint's three fsyncs:
   * every 512 MiB of 4 KiB blocks.
   */
  static final int MAX_PENDING = 1 << 17;

  Superblock superblock() {
    return sb;
  }

  /** Makes everything written so far durable: commits the journal, then syncs the store. */
  void flush() throws IOException {
    if (journal.commit()) {
      store.flush();
    }
  }

  /**
   * Checkpoints first when the journal cannot take a record of {@code recordBytes} or the open
   * epoch's index cannot take {@code blocks} more blocks (bounding it bounds the server's memory).
   */
  void makeRoom(long recordBytes, int blocks) throws IOException {
    if (!journal.fits(recordBytes) || epoch.blocks() + blocks > MAX_PENDING) {
      checkpoint(false);
    }
  }

  /**
   * Makes the journal durable, writes its blocks and tags to their home places, makes those
   * durable, and starts a new journal epoch in the other superblock copy. A crash anywhere in
   * between replays the same journal again, which rewrites the same bytes.
   */
  void checkpoint(boolean force) throws IOException {
    if (!force && journal.position() == 0 && epoch.isEmpty()) {
      return;
    }
    journal.commit();
    store.flush();
    for (long[] p : epoch.punches()) {
      store.zero(p[0], p[1]);
    }
    for (Map.Entry<Long, Long> z : epoch.zeroRuns().entrySet()) {
      long at = g.entryOffset(z.getKey());
      long length = (z.getValue() - z.getKey()) * g.entrySize();
      tags.invalidate(at, length); // first: a write that fails midway leaves no page stale
      store.zero(at, length);
    }
    homeWriter.apply(epoch);
    map.write();
    store.flush();
    long used = journal.position();
    sb = sb.next(sb.journalEpoch() + 1, mismatches.get());
    SuperblockCopies.write(store, sb);
    store.flush();
    // Records of the old epoch can never replay (replay stops at the first of another epoch), so
    // they stay for the next epoch to write over: zeroing them here would make every epoch
    // allocate its journal anew (on a device, write it twice). A clean close zeroes them.
    journalWritten |= used > 0;
    journal.reset(sb.journalEpoch());
    map.checkpointed();
    epoch.clear();
  }

  /**
   * Rewrites both superblock copies in the current format version, after a checkpoint emptied the
   * journal and before anything new is written. A version-2 reader refuses the new copies; one that
   * finds only the first rewritten (a crash between the two) uses the old copy, whose journal is
   * the same empty one, so it never misses a record it cannot read.
   */
  void upgrade() throws IOException {
    for (int copy = 0; copy < 2; copy++) {
      sb = sb.upgraded();
      SuperblockCopies.write(store, sb);
      store.flush();
    }
    log.info("{}: both superblock copies upgraded to format version {}", name, sb.version());
  }

  /** Records a finished scrub in the superblock (durably), after a checkpoint. */
  void recordScrub(long epochSeconds, long badBlocks) throws IOException {
    checkpoint(false);
    sb = sb.withScrub(epochSeconds, badBlocks);
    SuperblockCopies.write(store, sb);
    store.flush();
  }

  /**
   * Checkpoints a closing writable volume (so it is clean on disk), recording the counters, and
   * zeroes the journal.
   */
  void close() throws IOException {
    boolean counters = mismatches.get() != sb.mismatches();
    checkpoint(counters);
    if (journalWritten) {
      // Frees the space and keeps old copies of data out of the backing store at rest.
      store.zero(g.journalOffset(), g.journalLength());
    }
  }
}
