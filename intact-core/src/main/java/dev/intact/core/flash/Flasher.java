package dev.intact.core.flash;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flashes an image to a target and proves it landed.
 *
 * <p>Each pass is a bounded pipeline: a reader thread fills fixed-size buffers from the source (or,
 * when reading back, from the target), a hasher thread digests them range by range, and the calling
 * thread writes them. Memory is {@code chunkSize * buffers} whatever the range sizes: a range is
 * never held whole. A range that reads back wrong is rewritten by reading it from the source again,
 * so a retry costs a re-read rather than memory.
 */
public final class Flasher {
  private static final Logger log = LoggerFactory.getLogger(Flasher.class);

  /** Compares what was written with what reads back (see {@link CopyDigest} for why a CRC). */
  private static final HashAlgorithm COPY_DIGEST = CopyDigest.INSTANCE;

  private static final int ZERO_BLOCK = 4096;

  private final FlashOptions options;
  private final FlashListener listener;
  private final BlockingQueue<byte[]> pool;

  public Flasher(FlashOptions options, FlashListener listener) {
    this.options = options;
    this.listener = listener;
    this.pool = new ArrayBlockingQueue<>(options.buffers());
    for (int i = 0; i < options.buffers(); i++) {
      pool.add(new byte[options.chunkSize()]);
    }
  }

  /**
   * Flashes {@code source} to {@code target}: only the bmap's ranges when {@code bmap} is given,
   * else the whole image.
   *
   * @param bmapName how messages name the bmap
   * @return the report; range-level failures are in it
   * @throws IOException when the flash cannot go on (the source is truncated or corrupt, the target
   *     is too small or fails a write); the target is then incomplete
   */
  public FlashReport flash(ImageSource source, Bmap bmap, String bmapName, FlashTarget target)
      throws IOException, InterruptedException {
    long startNanos = System.nanoTime();
    HashAlgorithm alg = bmap != null ? bmap.checksumAlgorithm() : null;
    OptionalLong knownSize = source.knownSize();
    List<FlashRange> plan = null;
    long total;
    boolean sourceChecksAll;
    if (bmap != null) {
      if (knownSize.isPresent() && knownSize.getAsLong() != bmap.imageSize()) {
        throw new ImageSizeMismatchException(
            source.name(), knownSize.getAsLong(), bmap.imageSize(), bmapName);
      }
      target.setImageSize(bmap.imageSize());
      plan = new ArrayList<>();
      for (int i = 0; i < bmap.ranges().size(); i++) {
        plan.add(FlashRange.of(i, bmap.ranges().get(i), bmap.blockSize(), bmap.imageSize()));
      }
      total = bmap.mappedBytes();
      long unchecked = bmap.ranges().stream().filter(r -> r.checksum().isEmpty()).count();
      if (unchecked > 0) {
        listener.warning(
            bmapName
                + " has no checksum for "
                + unchecked
                + " of its "
                + bmap.ranges().size()
                + " ranges: the source cannot be verified; the destination is read back and"
                + " compared with what was written instead");
      }
      sourceChecksAll = options.verifySource() && unchecked == 0;
    } else {
      target.setImageSize(knownSize.orElse(0));
      total = knownSize.orElse(-1);
      sourceChecksAll = false;
    }
    boolean readBack =
        switch (options.readBack()) {
          case ON -> true;
          case OFF -> false;
          case AUTO -> target.isBlockDevice() || !sourceChecksAll;
        };
    if (!readBack && !sourceChecksAll) {
      listener.warning(
          "read-back is off and the source is not verified against checksums: nothing will prove"
              + " the destination right");
    }

    listener.phase(
        readBack ? "writing and verifying" : "writing",
        total < 0 ? -1 : readBack ? 2 * total : total);
    Function<FlashRange, Optional<HashCode>> bmapChecksum =
        r -> options.verifySource() ? r.expected() : Optional.empty();
    // Without a bmap a file grows as it is written and its zero tail appears only at the end, so
    // its read-back waits for the end; otherwise ranges are read back while later ones are written.
    boolean deferReadBack = bmap == null && target.unwrittenReadsZero();
    ReadBack checker = readBack ? new ReadBack(target, !deferReadBack) : null;
    boolean anyChecksum = plan != null && plan.stream().anyMatch(r -> r.expected().isPresent());
    Pass first;
    try (SourceStream in = source.open()) {
      first =
          new Pass(
                  in,
                  options.verifySource() && anyChecksum ? alg : null,
                  bmapChecksum,
                  r -> Optional.empty(),
                  target,
                  bmap == null && target.unwrittenReadsZero(),
                  checker)
              .run(plan, bmap != null ? bmap.imageSize() : -1, knownSize.isEmpty());
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (checker != null) {
        checker.abort();
      }
      throw e;
    }
    long imageSize = bmap != null ? bmap.imageSize() : first.endPosition;
    if (bmap == null) {
      target.setImageSize(imageSize);
      plan = first.written.keySet().stream().toList();
    }
    List<RangeFailure> failures = new ArrayList<>(first.failures);
    if (first.stopped) {
      for (FlashRange r : plan) {
        if (!first.written.containsKey(r)
            && failures.stream().noneMatch(f -> f.range().equals(r))) {
          failures.add(new RangeFailure(r, "not written: the flash stopped at an earlier range"));
        }
      }
    }
    long bytesWritten = first.bytesWritten;
    log.debug(
        "first pass done: {} ranges, {} bytes written in {} ms",
        first.written.size(),
        bytesWritten,
        (System.nanoTime() - startNanos) / 1_000_000);
    target.sync();
    log.debug("fsync done at {} ms", (System.nanoTime() - startNanos) / 1_000_000);

    int verified = 0;
    int unverified = 0;
    int retries = 0;
    if (!readBack) {
      for (FlashRange r : first.written.keySet()) {
        if (bmapChecksum.apply(r).isPresent()) {
          verified++;
        } else {
          unverified++;
        }
      }
    } else {
      Map<FlashRange, HashCode> pending = first.written;
      Map<FlashRange, String> bad = checker.finish();
      log.debug(
          "read-back done at {} ms: {} of {} ranges differ",
          (System.nanoTime() - startNanos) / 1_000_000,
          bad.size(),
          pending.size());
      for (int attempt = 0; ; attempt++) {
        verified += pending.size() - bad.size();
        if (bad.isEmpty()) {
          break;
        }
        if (attempt == options.retries()) {
          String suffix =
              options.retries() == 0
                  ? " (no retries allowed)"
                  : " (still wrong after " + options.retries() + " rewrites)";
          bad.forEach((r, reason) -> failures.add(new RangeFailure(r, reason + suffix)));
          break;
        }
        retries += bad.size();
        Map<FlashRange, HashCode> firstDigests = pending;
        List<FlashRange> again =
            bad.keySet().stream().sorted((a, b) -> Long.compare(a.start(), b.start())).toList();
        listener.phase("rewriting", 2 * again.stream().mapToLong(r -> r.bytes().length()).sum());
        SourceStream in;
        try {
          in = source.open();
        } catch (SourceNotReopenableException e) {
          bad.forEach(
              (r, reason) -> failures.add(new RangeFailure(r, reason + "; " + e.getMessage())));
          break;
        }
        ReadBack recheck = new ReadBack(target, true);
        Pass rewrite;
        try (in) {
          rewrite =
              new Pass(
                      in,
                      null,
                      r -> Optional.empty(),
                      r -> Optional.of(firstDigests.get(r)),
                      target,
                      false,
                      recheck)
                  .run(again, imageSize, false);
        } catch (IOException | RuntimeException | InterruptedException e) {
          recheck.abort();
          throw e;
        }
        bytesWritten += rewrite.bytesWritten;
        for (RangeFailure f : rewrite.failures) {
          failures.add(
              new RangeFailure(
                  f.range(), "the source no longer matches what was first read from it"));
        }
        for (FlashRange r : again) {
          if (!rewrite.written.containsKey(r)
              && rewrite.failures.stream().noneMatch(f -> f.range().equals(r))) {
            failures.add(new RangeFailure(r, "not rewritten: the source changed"));
          }
        }
        target.sync();
        pending = rewrite.written;
        bad = recheck.finish();
      }
    }
    failures.sort((a, b) -> Long.compare(a.range().start(), b.range().start()));
    return new FlashReport(
        source.name(),
        target.name(),
        imageSize,
        bytesWritten,
        plan.size(),
        verified,
        unverified,
        readBack,
        retries,
        failures,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /**
   * A chunk of a range on its way through a pipeline; {@code completed} marks a range's last. The
   * buffer is handed over, never shared, and {@link #END} is a sentinel compared by identity.
   */
  @SuppressWarnings("ArrayRecordComponent")
  private record Chunk(
      long position,
      byte[] buf,
      int length,
      FlashRange completed,
      HashCode digest,
      String problem) {
    static final Chunk END = new Chunk(-1, null, 0, null, null, null);

    @SuppressWarnings("ReferenceEquality")
    boolean isEnd() {
      return this == END;
    }

    Chunk withDigest(HashCode d, String p) {
      return new Chunk(position, buf, length, completed, d, p);
    }
  }

  /** A pipeline stage's failure, passed down the queue. */
  private record Failed(Throwable error) {}

  /** One pass of reading the source and writing the target. */
  private final class Pass {
    private final SourceStream in;
    private final HashAlgorithm sourceAlg;
    private final Function<FlashRange, Optional<HashCode>> expected;
    private final Function<FlashRange, Optional<HashCode>> expectedCopy;
    private final FlashTarget target;
    private final boolean skipZeros;
    private final ReadBack checker;
    private final BlockingQueue<Object> toHasher = new ArrayBlockingQueue<>(options.buffers() + 1);
    private final BlockingQueue<Object> toWriter = new ArrayBlockingQueue<>(options.buffers() + 1);
    private volatile boolean stop;

    final Map<FlashRange, HashCode> written = new LinkedHashMap<>();
    final List<RangeFailure> failures = new ArrayList<>();
    boolean stopped;
    long bytesWritten;
    long endPosition;

    Pass(
        SourceStream in,
        HashAlgorithm sourceAlg,
        Function<FlashRange, Optional<HashCode>> expected,
        Function<FlashRange, Optional<HashCode>> expectedCopy,
        FlashTarget target,
        boolean skipZeros,
        ReadBack checker) {
      this.in = in;
      this.sourceAlg = sourceAlg;
      this.expected = expected;
      this.expectedCopy = expectedCopy;
      this.target = target;
      this.skipZeros = skipZeros;
      this.checker = checker;
    }

    /**
     * @param plan the ranges, ascending; null to cut the whole image into segments
     * @param imageSize the size the image must have, or -1 if unknown
     * @param checkEnd read the source to its end and check its size (and compressed trailer)
     */
    Pass run(List<FlashRange> plan, long imageSize, boolean checkEnd)
        throws IOException, InterruptedException {
      Thread reader =
          Thread.ofPlatform()
              .daemon()
              .name("intact-flash-reader")
              .start(() -> read(plan, imageSize, checkEnd));
      Thread hasher = Thread.ofPlatform().daemon().name("intact-flash-hasher").start(this::hash);
      Throwable error = null;
      try {
        while (true) {
          Object item = toWriter.take();
          if (item instanceof Failed f) {
            error = f.error();
            break;
          }
          Chunk c = (Chunk) item;
          if (c.isEnd()) {
            break;
          }
          try {
            if (!stop && c.length() > 0) {
              write(c);
            }
          } catch (IOException e) {
            error = e;
            stop = true;
          } finally {
            pool.put(c.buf());
          }
          listener.progress(c.length());
          if (c.completed() != null && !stopped) {
            if (c.problem() != null) {
              failures.add(new RangeFailure(c.completed(), c.problem()));
              stop = true;
              stopped = true;
            } else if (error == null) {
              written.put(c.completed(), c.digest());
              if (checker != null) {
                checker.submit(c.completed(), c.digest());
              }
            }
          }
        }
      } finally {
        stop = true;
        drainAndJoin(reader, hasher);
      }
      if (error != null) {
        stopped = true;
        if (error instanceof IOException e) {
          throw e;
        }
        if (error instanceof InterruptedException e) {
          throw e;
        }
        if (error instanceof RuntimeException e) {
          throw e;
        }
        throw new IllegalStateException(error);
      }
      return this;
    }

    /**
     * Waits for the other stages. After an error they may be blocked on a full queue or an empty
     * pool, so their chunks are taken back until they end; every buffer returns to the pool.
     */
    private void drainAndJoin(Thread reader, Thread hasher) throws InterruptedException {
      while (reader.isAlive() || hasher.isAlive()) {
        recycle(toWriter);
        recycle(toHasher);
        reader.join(1);
        hasher.join(1);
      }
      recycle(toWriter);
      recycle(toHasher);
    }

    private void recycle(BlockingQueue<Object> queue) throws InterruptedException {
      Object item;
      while ((item = queue.poll()) != null) {
        if (item instanceof Chunk c && c.buf() != null) {
          pool.put(c.buf());
        }
      }
    }

    private void write(Chunk c) throws IOException {
      if (!skipZeros) {
        target.write(c.position(), c.buf(), 0, c.length());
        bytesWritten += c.length();
        return;
      }
      // Without a bmap, a sparse file destination stays sparse: all-zero blocks are not written.
      int runStart = -1;
      for (int off = 0; off < c.length(); off += ZERO_BLOCK) {
        int len = Math.min(ZERO_BLOCK, c.length() - off);
        boolean zero = isZero(c.buf(), off, len);
        if (!zero && runStart < 0) {
          runStart = off;
        } else if (zero && runStart >= 0) {
          target.write(c.position() + runStart, c.buf(), runStart, off - runStart);
          bytesWritten += off - runStart;
          runStart = -1;
        }
      }
      if (runStart >= 0) {
        target.write(c.position() + runStart, c.buf(), runStart, c.length() - runStart);
        bytesWritten += c.length() - runStart;
      }
    }

    private void read(List<FlashRange> plan, long imageSize, boolean checkEnd) {
      Object last = Chunk.END;
      try {
        if (plan != null) {
          for (FlashRange r : plan) {
            if (stop) {
              break;
            }
            in.skipTo(r.start(), imageSize);
            long pos = r.start();
            while (pos < r.end() && !stop) {
              byte[] buf = pool.take();
              int n = (int) Math.min(buf.length, r.end() - pos);
              try {
                in.readFully(buf, 0, n, imageSize);
              } catch (IOException e) {
                pool.put(buf);
                throw e;
              }
              toHasher.put(new Chunk(pos, buf, n, pos + n == r.end() ? r : null, null, null));
              pos += n;
            }
          }
          if (checkEnd && !stop) {
            long size = in.drain();
            if (size != imageSize) {
              throw new ImageSizeMismatchException(in.name(), size, imageSize, "the bmap");
            }
          }
        } else {
          readSegments();
        }
        endPosition = in.position();
      } catch (Throwable e) {
        last = new Failed(e);
      }
      putUninterruptibly(toHasher, last);
    }

    private void readSegments() throws IOException, InterruptedException {
      long segment = options.segmentSize();
      int index = 0;
      long pos = 0;
      long segStart = 0;
      boolean eof = false;
      while (!eof && !stop) {
        byte[] buf = pool.take();
        int want = (int) Math.min(buf.length, segStart + segment - pos);
        int n = 0;
        try {
          while (n < want) {
            int r = in.read(buf, n, want - n);
            if (r < 0) {
              eof = true;
              break;
            }
            n += r;
          }
        } catch (IOException e) {
          pool.put(buf);
          throw e;
        }
        pos += n;
        boolean segmentDone = pos == segStart + segment || eof;
        FlashRange done = null;
        if (segmentDone && pos > segStart) {
          done = FlashRange.segment(index++, segStart, pos);
          segStart = pos;
        }
        toHasher.put(new Chunk(pos - n, buf, n, done, null, null));
      }
    }

    /**
     * Digests each range twice over the same buffers: with the bmap's algorithm to verify the
     * source ({@code sourceAlg}, null when there is nothing to verify), and with {@link
     * #COPY_DIGEST} to compare the read-back with.
     */
    private void hash() {
      Hasher source = sourceAlg == null ? null : sourceAlg.newHasher();
      // Without a read-back nothing compares copies: spare the CPU.
      Hasher copy = checker == null ? null : COPY_DIGEST.newHasher();
      try {
        while (true) {
          Object item = toHasher.take();
          if (!(item instanceof Chunk c) || c.isEnd()) {
            toWriter.put(item);
            return;
          }
          if (source != null) {
            source.update(c.buf(), 0, c.length());
          }
          if (copy != null) {
            copy.update(c.buf(), 0, c.length());
          }
          if (c.completed() != null) {
            HashCode digest = copy == null ? null : copy.finish();
            String problem = null;
            if (source != null) {
              HashCode sum = source.finish();
              Optional<HashCode> want = expected.apply(c.completed());
              if (want.isPresent() && !want.get().equals(sum)) {
                problem =
                    "the source does not match its checksum ("
                        + sourceAlg.name()
                        + " "
                        + sum
                        + ", expected "
                        + want.get()
                        + ")";
              }
            }
            Optional<HashCode> again = expectedCopy.apply(c.completed());
            if (problem == null && again.isPresent() && !again.get().equals(digest)) {
              problem = "the source reads differently than the first time";
            }
            if (problem != null) {
              stop = true;
            }
            c = c.withDigest(digest, problem);
          }
          toWriter.put(c);
        }
      } catch (Throwable e) {
        putUninterruptibly(toWriter, new Failed(e));
      }
    }
  }

  /**
   * Reads ranges back from the target while later ones are still being written. A flusher thread
   * fsyncs whatever has been written since its last fsync, then hands those ranges to a reader that
   * reads them with O_DIRECT (from the medium, not the page cache) into its own buffers, and a
   * hasher compares them with what was written. Every range is thus read back after an fsync that
   * covered it, and the disk writes back and reads at once instead of one after the other.
   */
  private final class ReadBack {
    private static final Object END = new Object();
    private final FlashTarget target;
    private final BlockingQueue<Object> submitted =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private final BlockingQueue<Object> synced = new java.util.concurrent.LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> buffers;
    private final BlockingQueue<Object> read = new ArrayBlockingQueue<>(options.buffers() + 1);
    private final Map<FlashRange, HashCode> expected =
        java.util.Collections.synchronizedMap(new java.util.HashMap<>());
    private final Map<FlashRange, String> bad = new LinkedHashMap<>();
    private volatile boolean stop;
    private Thread flusher;
    private Thread reader;
    private Thread hasher;
    private volatile Throwable failure;

    ReadBack(FlashTarget target, boolean startNow) {
      this.target = target;
      this.buffers = new ArrayBlockingQueue<>(options.buffers());
      for (int i = 0; i < options.buffers(); i++) {
        buffers.add(new byte[options.chunkSize()]);
      }
      if (startNow) {
        start();
      }
    }

    private void start() {
      flusher = Thread.ofPlatform().daemon().name("intact-flusher").start(this::flushLoop);
      reader = Thread.ofPlatform().daemon().name("intact-readback").start(this::readLoop);
      hasher = Thread.ofPlatform().daemon().name("intact-readback-hasher").start(this::hashLoop);
    }

    void submit(FlashRange range, HashCode digest) {
      expected.put(range, digest);
      submitted.add(range);
    }

    /** Waits for every submitted range and returns those that read back wrong, with why. */
    Map<FlashRange, String> finish() throws IOException, InterruptedException {
      if (reader == null) {
        start();
      }
      submitted.add(END);
      flusher.join();
      reader.join();
      hasher.join();
      if (failure instanceof IOException e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException("read-back stopped", failure);
      }
      return bad;
    }

    void abort() throws InterruptedException {
      stop = true;
      if (reader == null) {
        return;
      }
      submitted.add(END);
      flusher.join();
      while (reader.isAlive() || hasher.isAlive()) {
        Object item;
        while ((item = read.poll()) != null) {
          if (item instanceof Chunk c && c.buf() != null) {
            buffers.put(c.buf());
          }
        }
        reader.join(1);
        hasher.join(1);
      }
    }

    private void flushLoop() {
      List<Object> batch = new ArrayList<>();
      try {
        while (true) {
          batch.clear();
          batch.add(submitted.take());
          submitted.drainTo(batch);
          boolean end = batch.remove(END);
          if (!batch.isEmpty() && !stop) {
            long t = System.nanoTime();
            target.sync();
            log.debug(
                "fsync before reading back {} ranges: {} ms",
                batch.size(),
                (System.nanoTime() - t) / 1_000_000);
            synced.addAll(batch);
          }
          if (end || stop) {
            break;
          }
        }
      } catch (Throwable e) {
        failure = e;
        stop = true;
      }
      synced.add(END);
    }

    private void readLoop() {
      try {
        while (!stop) {
          Object next = synced.take();
          if (next == END) {
            break;
          }
          FlashRange r = (FlashRange) next;
          long pos = r.start();
          while (pos < r.end() && !stop) {
            byte[] buf = buffers.take();
            int n = (int) Math.min(buf.length, r.end() - pos);
            String problem = null;
            try {
              target.readBack(pos, buf, 0, n);
            } catch (IOException e) {
              problem = "read-back failed: " + e.getMessage();
            }
            boolean last = pos + n == r.end() || problem != null;
            read.put(new Chunk(pos, buf, n, last ? r : null, null, problem));
            pos = last ? r.end() : pos + n;
          }
        }
        read.put(Chunk.END);
      } catch (Throwable e) {
        putUninterruptibly(read, new Failed(e));
      }
    }

    private void hashLoop() {
      Hasher h = COPY_DIGEST.newHasher();
      try {
        while (true) {
          Object item = read.take();
          if (item instanceof Failed f) {
            failure = f.error();
            return;
          }
          Chunk c = (Chunk) item;
          if (c.isEnd()) {
            return;
          }
          if (c.problem() == null) {
            h.update(c.buf(), 0, c.length());
          }
          buffers.put(c.buf());
          listener.progress(c.length());
          if (c.completed() != null) {
            HashCode digest = h.finish();
            if (c.problem() != null) {
              bad.put(c.completed(), c.problem());
            } else if (!digest.equals(expected.get(c.completed()))) {
              bad.put(c.completed(), "reads back different from what was written");
            }
          }
        }
      } catch (Throwable e) {
        failure = e;
        stop = true;
        // Let the reader finish: it may be waiting for a buffer or for room in the queue.
        while (reader.isAlive()) {
          Object item = read.poll();
          if (item instanceof Chunk c && c.buf() != null) {
            buffers.offer(c.buf());
          }
        }
      }
    }
  }

  private static boolean isZero(byte[] b, int off, int len) {
    return Arrays.mismatch(b, off, off + len, ZEROS, 0, len) < 0;
  }

  private static final byte[] ZEROS = new byte[ZERO_BLOCK];

  private static void putUninterruptibly(BlockingQueue<Object> q, Object item) {
    boolean interrupted = false;
    while (true) {
      try {
        q.put(item);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
