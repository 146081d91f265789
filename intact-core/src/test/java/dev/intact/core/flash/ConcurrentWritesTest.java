package dev.intact.core.flash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapFixtures;
import dev.intact.core.bmap.BmapParser;
import dev.intact.core.image.ByteRange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flash keeps more than one write in flight, so the disk always has the next one queued; yet a
 * range is read back only once every part of it is written, whatever order the writes finish in.
 */
class ConcurrentWritesTest {
  @TempDir Path dir;

  /** Blocks 64-66 of the gold image: three chunks of 4096 bytes. */
  private static final ByteRange HELD = new ByteRange(64 * 4096, 67 * 4096);

  @Test
  void aRangeWhoseFirstChunkIsWrittenLastIsReadBackOnlyOnceItIsAllWritten() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    byte[] gold = Files.readAllBytes(img);
    Bmap bmap = BmapParser.parse(BmapFixtures.resource("gold.img.bmap"), "gold.img.bmap");
    OutOfOrderTarget dev = new OutOfOrderTarget(gold.length);
    FlashOptions oneBlockChunks = FlashOptions.DEFAULTS.withChunks(4096, 3, 4096);

    FlashReport r =
        new Flasher(oneBlockChunks, new FlashListener() {})
            .flash(new BytesSource(gold), bmap, "gold.img.bmap", dev);

    assertThat(dev.content()).isEqualTo(gold);
    assertThat(dev.readsOfUnwrittenBytes()).isEmpty();
    assertThat(r.readBack()).isTrue();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.rangesVerified()).isEqualTo(3);
    assertThat(r.retries()).isZero();
  }

  /**
   * A device that holds back the write of {@link #HELD}'s first chunk until a later chunk of it is
   * written (which only a second write in flight can do), and notes every read of a byte that was
   * not written yet.
   */
  private static final class OutOfOrderTarget extends MemoryTarget {
    private final boolean[] written;
    private final List<Long> earlyReads = new ArrayList<>();
    private boolean laterChunkWritten;

    OutOfOrderTarget(int size) {
      super(true, new byte[size]);
      written = new boolean[size];
    }

    @Override
    public synchronized void write(long position, byte[] src, int offset, int length)
        throws IOException {
      if (position == HELD.start()) {
        awaitLaterChunk(); // waiting releases the monitor: the other writer goes on meanwhile
      }
      super.write(position, src, offset, length);
      for (int i = 0; i < length; i++) {
        written[(int) position + i] = true;
      }
      if (position > HELD.start() && position < HELD.end()) {
        laterChunkWritten = true;
        notifyAll();
      }
    }

    private synchronized void awaitLaterChunk() throws IOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!laterChunkWritten) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException(
              "no later chunk of " + HELD + " was written while its first was held back");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
      }
    }

    @Override
    public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
      synchronized (this) {
        for (int i = 0; i < length; i++) {
          if (!written[(int) position + i]) {
            earlyReads.add(position + i);
            break;
          }
        }
      }
      super.readDirect(position, dst, offset, length);
    }

    synchronized List<Long> readsOfUnwrittenBytes() {
      return List.copyOf(earlyReads);
    }
  }
}
