package dev.intact.core.flash;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.WritableImage;
import dev.intact.core.pipeline.Channel;
import dev.intact.core.pipeline.Pipeline;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads ranges back from the destination while later ones are still being written, as a {@link
 * Pipeline}: a flusher fsyncs whatever has been written since its last fsync and passes those
 * ranges on, a reader reads them with {@link WritableImage#readDirect} (the medium, not the page
 * cache) into its own native buffers (O_DIRECT straight into them, no bounce copy), and a comparer
 * hashes them with {@link CopyDigest} and compares with what was written. Every range is thus read
 * back after an fsync that covered it, and the disk writes back and reads at once instead of one
 * after the other.
 */
final class ReadBackVerifier {
  private static final Logger log = LoggerFactory.getLogger(ReadBackVerifier.class);

  private final WritableImage target;
  private final FlashOptions options;
  private final FlashListener listener;
  private final Pipeline pipeline = new Pipeline("intact-readback");
  private final Channel<FlashRange> submitted = pipeline.channel(Integer.MAX_VALUE);
  private final Map<FlashRange, HashCode> expected = new ConcurrentHashMap<>();
  private final List<RangeFailure> differing = new ArrayList<>(); // the comparer's only
  private boolean started;

  /**
   * @param startNow start reading back as soon as ranges are submitted; otherwise only in {@link
   *     #finish}, when everything is written
   */
  ReadBackVerifier(
      WritableImage target, FlashOptions options, FlashListener listener, boolean startNow) {
    this.target = target;
    this.options = options;
    this.listener = listener;
    if (startNow) {
      start();
    }
  }

  private void start() {
    started = true;
    Channel<MemorySegment> pool = pipeline.pool(CopyPass.buffers(options));
    Channel<FlashRange> synced = pipeline.channel(Integer.MAX_VALUE);
    Channel<Chunk> read = pipeline.channel(options.buffers() + 1);
    pipeline.start("flusher", synced, () -> flush(synced));
    pipeline.start("reader", read, () -> read(synced, pool, read));
    pipeline.start("comparer", null, () -> compare(read, pool));
  }

  /** Queues a written range, whose copy digest was {@code digest}, to be read back. */
  void submit(FlashRange range, HashCode digest) throws InterruptedException {
    expected.put(range, digest);
    try {
      submitted.put(range);
    } catch (CancellationException e) {
      // The read-back failed already; finish() says why.
    }
  }

  /**
   * Waits until every submitted range is read back and returns those that differ from what was
   * written (or could not be read), by position.
   *
   * @throws IOException if the destination cannot be flushed
   */
  List<RangeFailure> finish() throws IOException, InterruptedException {
    if (!started) {
      start();
    }
    submitted.close();
    pipeline.await();
    differing.sort(Comparator.comparingLong(f -> f.range().start()));
    return List.copyOf(differing);
  }

  /** Stops reading back (the pass it checks failed) and waits for its threads. */
  void abort() throws InterruptedException {
    pipeline.cancel();
  }

  private void flush(Channel<FlashRange> synced) throws IOException, InterruptedException {
    List<FlashRange> batch = new ArrayList<>();
    FlashRange first;
    while ((first = submitted.take()) != null) {
      batch.clear();
      batch.add(first);
      submitted.drainTo(batch);
      long t = System.nanoTime();
      target.flush();
      log.debug(
          "fsync before reading back {} ranges: {} ms",
          batch.size(),
          (System.nanoTime() - t) / 1_000_000);
      for (FlashRange r : batch) {
        synced.put(r);
      }
    }
  }

  private void read(Channel<FlashRange> synced, Channel<MemorySegment> pool, Channel<Chunk> out)
      throws InterruptedException {
    FlashRange r;
    while ((r = synced.take()) != null) {
      long pos = r.start();
      while (pos < r.end()) {
        MemorySegment buf = pool.take();
        int n = (int) Math.min(buf.byteSize(), r.end() - pos);
        RangeFailure problem = null;
        try {
          target.readDirect(pos, buf.asSlice(0, n));
        } catch (IOException e) {
          problem = new RangeFailure(r, "read-back failed: " + e.getMessage());
        }
        boolean last = pos + n == r.end() || problem != null;
        out.put(new Chunk(pos, buf, n, last ? r : null).withDigest(null, problem));
        pos = last ? r.end() : pos + n;
      }
    }
  }

  private void compare(Channel<Chunk> in, Channel<MemorySegment> pool) throws InterruptedException {
    Hasher h = CopyDigest.INSTANCE.newHasher();
    Chunk c;
    while ((c = in.take()) != null) {
      if (c.problem() == null) {
        h.update(c.data().asByteBuffer());
      }
      pool.put(c.buf());
      listener.progress(c.length());
      if (c.completed() == null) {
        continue;
      }
      HashCode digest = h.finish();
      HashCode want = expected.get(c.completed());
      if (c.problem() != null) {
        differing.add(c.problem());
      } else if (!digest.equals(want)) {
        differing.add(
            RangeFailure.mismatch(
                c.completed(),
                "reads back different from what was written",
                new ChecksumMismatchException(
                    target.name(),
                    c.completed().bytes(),
                    CopyDigest.INSTANCE.name(),
                    want.toHex(),
                    digest.toHex())));
      }
    }
  }
}
