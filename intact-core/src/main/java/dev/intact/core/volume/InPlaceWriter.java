package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes whole blocks at their places, under the volume's write lock: each stretch of blocks that
 * hold nothing goes home with one HOME record of their tags, the others are journaled, data and
 * tags, in WRITE records. Chunks that move to spare chunks are {@link ChunkMover}'s.
 */
final class InPlaceWriter {
  private final WritableImage store;
  private final Geometry g;
  private final Journal journal;
  private final TagPages tagPages;
  private final ChunkMap map;
  private final OpenEpoch epoch;
  private final BlockReader reader;
  private final Checkpointer checkpointer;

  InPlaceWriter(
      WritableImage store,
      Geometry g,
      Journal journal,
      TagPages tags,
      ChunkMap map,
      OpenEpoch epoch,
      BlockReader reader,
      Checkpointer checkpointer) {
    this.store = store;
    this.g = g;
    this.journal = journal;
    this.tagPages = tags;
    this.map = map;
    this.epoch = epoch;
    this.reader = reader;
    this.checkpointer = checkpointer;
  }

  /**
   * Writes {@code count} whole blocks from {@code data[at...]} with their tags at {@code
   * tags[tagAt...]} at their places. Each stretch of blocks that hold nothing goes home with one
   * HOME record (up to {@link Journal#blocksPerHomeRecord} blocks, so a request of up to 16 MiB of
   * 4 KiB blocks is one data write and one small journal write); the others are journaled in WRITE
   * records of up to 256 KiB.
   */
  void write(long first, long count, byte[] data, int at, byte[] tags, int tagAt)
      throws IOException {
    int bs = g.blockSize();
    int tl = g.tagLength();
    int per = Journal.blocksPerHomeRecord(bs);
    int perWrite = Journal.blocksPerRecord(bs);
    for (long done = 0; done < count; ) {
      int n = (int) Math.min(per, count - done);
      long b0 = first + done;
      int a0 = at + (int) (done * bs);
      int t0 = tagAt + (int) (done * tl);
      boolean[] home = holdsNothing(b0, n);
      for (int i = 0; i < n; ) {
        int limit = Math.min(n, i + (home[i] ? per : perWrite));
        int j = i + 1;
        while (j < limit && home[j] == home[i]) {
          j++;
        }
        writeRun(
            b0 + i,
            j - i,
            home[i],
            data,
            a0 + i * bs,
            Arrays.copyOfRange(tags, t0 + i * tl, t0 + j * tl));
        i = j;
      }
      done += n;
    }
  }

  /**
   * Which of blocks {@code [first, first + n)} hold nothing a crash could need: never written,
   * trimmed or zeroed and checkpointed (entry all zeros), with no state in the open journal. Their
   * data may go straight home: until a committed HOME record names it, the zero entry makes the
   * block read as zeros whatever its data area holds.
   */
  boolean[] holdsNothing(long first, int n) throws IOException {
    int es = g.entrySize();
    byte[] entries = new byte[n * es];
    tagPages.read(g.entryOffset(first), entries, 0, entries.length);
    boolean[] home = new boolean[n];
    for (int i = 0; i < n; i++) {
      long b = first + i;
      home[i] = !epoch.names(b) && reader.zeroEntry(entries, i * es);
    }
    return home;
  }

  /**
   * Whether any of blocks {@code [first, first + n)} holds something ({@link #holdsNothing} of some
   * is false). The first block decides it alone when it does: in a steady overwrite every block of
   * a chunk does, and looking up one instead of all is what makes it cheap.
   */
  boolean holdsSomething(long first, int n) throws IOException {
    if (!holdsNothing(first, 1)[0]) {
      return true;
    }
    for (boolean nothing : holdsNothing(first, n)) {
      if (!nothing) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes {@code n} whole blocks from {@code data[at...]}: home with a HOME record, or journaled.
   */
  private void writeRun(long first, int n, boolean home, byte[] data, int at, byte[] tags)
      throws IOException {
    int bs = g.blockSize();
    long[] blocks = new long[n];
    for (int i = 0; i < n; i++) {
      blocks[i] = first + i;
    }
    long bytes = home ? Journal.homeRecordBytes(n, g) : Journal.writeRecordBytes(n, g);
    checkpointer.makeRoom(bytes, n);
    long[] dataAt = new long[n];
    if (home) {
      // One write per chunk the run touches: chunks lie wherever the map put them.
      for (int i = 0; i < n; ) {
        int j = (int) Math.min(n, map.chunkEnd(first + i) - first);
        long place = map.offset(first + i);
        store.write(place, data, at + i * bs, (j - i) * bs);
        for (int k = i; k < j; k++) {
          dataAt[k] = place + (long) (k - i) * bs;
        }
        i = j;
      }
      journal.appendHome(blocks, tags);
    } else {
      long journalAt = journal.appendWrite(blocks, tags, data, at);
      for (int i = 0; i < n; i++) {
        dataAt[i] = journalAt + (long) i * bs;
      }
    }
    epoch.wrote(blocks, dataAt, tags);
  }
}
