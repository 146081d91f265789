package dev.intact.client;

import dev.intact.core.checksum.BlockDigestList;
import dev.intact.core.checksum.BlockGrid;
import dev.intact.core.checksum.Zeros;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parallel workers of a transfer: each takes a chunk of whole blocks, reads it once from the
 * source (holes are never read), records each block's digest, and writes data runs and zero runs to
 * the destination. A whole-stream value, if any, is fed in chunk order as chunks complete.
 */
final class Sender {
  /**
   * Most bytes one worker reads, hashes and PUTs at a time. 16 MiB against 4 MiB, alternating runs
   * of a 4 GiB verified upload: ~2.5 s less CPU on each side (a quarter of the requests), 1.6-3.7 s
   * sooner, client RSS 253 -> 316 MiB; 32 MiB was no faster and reached 400 MiB.
   */
  static final int CHUNK = 16 << 20;

  /** The largest chunk {@link #chunks} makes to hold whole blocks of both lists. */
  static final int MAX_CHUNK = 64 << 20;

  private final Image source;
  private final BlockGrid grid;
  private final Optional<BlockDigestList> digests;
  private final Optional<BlockDigestList> proof;
  private final int workers;
  private final TransferProgress progress;
  private final int perChunk;

  /**
   * @param digests where each block's digest is recorded; empty when the transfer needs only the
   *     block geometry (a whole-stream value without {@code --repair})
   * @param proof a second list, of other blocks over the same range, recorded by the first pass
   *     only: the checksum a daemon without checksum jobs can compute (imageio's {@code /checksum})
   * @throws IllegalArgumentException if a chunk holding whole blocks of both lists would be larger
   *     than {@link #MAX_CHUNK}
   */
  Sender(
      Image source,
      BlockGrid grid,
      Optional<BlockDigestList> digests,
      Optional<BlockDigestList> proof,
      int workers,
      TransferProgress progress) {
    this.source = source;
    this.grid = grid;
    this.digests = digests;
    this.proof = proof;
    this.workers = workers;
    this.progress = progress;
    this.perChunk = perChunk(grid.blockSize(), proof.map(p -> p.grid().blockSize()));
  }

  /**
   * Blocks per chunk: {@link #CHUNK} bytes, or the fewest whole blocks that also end on a block of
   * the proof list (chunks start at the range's start, as the proof list's blocks do).
   */
  private static int perChunk(int blockSize, Optional<Integer> proofBlockSize) {
    long unit = blockSize;
    if (proofBlockSize.isPresent()) {
      long p = proofBlockSize.get();
      unit = blockSize / gcd(blockSize, p) * p;
      if (unit > MAX_CHUNK) {
        throw new IllegalArgumentException(
            "blocks of "
                + blockSize
                + " and of "
                + p
                + " bytes share no chunk of at most "
                + MAX_CHUNK
                + " bytes: choose block sizes that divide one another");
      }
    }
    return (int) (Math.max(1, CHUNK / unit) * (unit / blockSize));
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** All blocks of the grid, in chunks of about {@link #CHUNK} bytes (at least one block). */
  List<BlockRun> chunks(List<BlockRun> runs) {
    return BlockRun.chunks(runs, perChunk);
  }

  /**
   * Reads and records {@code chunks} with parallel workers, writing them to {@code destination}
   * (none: a verify-only pass that only records the source) and feeding {@code stream}, if any, in
   * chunk order.
   */
  void send(
      List<BlockRun> chunks,
      Optional<WritableImage> destination,
      Optional<StreamDigest> stream,
      TransferStats stats)
      throws IOException {
    send(chunks, destination, stream, stats, false);
  }

  /**
   * As {@link #send(List, Optional, Optional, TransferStats)}, also recording the proof list: the
   * first pass, whose chunks are the whole grid's ({@link #chunks} of {@link BlockRun#all}).
   */
  void sendFirst(
      List<BlockRun> chunks,
      Optional<WritableImage> destination,
      Optional<StreamDigest> stream,
      TransferStats stats)
      throws IOException {
    send(chunks, destination, stream, stats, true);
  }

  private void send(
      List<BlockRun> chunks,
      Optional<WritableImage> destination,
      Optional<StreamDigest> stream,
      TransferStats stats,
      boolean recordProof)
      throws IOException {
    long total = chunks.stream().mapToLong(c -> grid.span(c.first(), c.end()).length()).sum();
    if (chunks.isEmpty()) {
      progress.update(0, 0);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    int chunkBytes = (int) Math.min(grid.range().length(), (long) perChunk * grid.blockSize());
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < Math.min(workers, chunks.size()); w++) {
        futures.add(
            pool.submit(
                () -> {
                  byte[] buf = new byte[chunkBytes];
                  Hasher hasher = digests.map(d -> d.type().inner().newHasher()).orElse(null);
                  Hasher proofHasher =
                      recordProof
                          ? proof.map(d -> d.type().inner().newHasher()).orElse(null)
                          : null;
                  int k;
                  while (!failed.get() && (k = next.getAndIncrement()) < chunks.size()) {
                    try {
                      long n = sendChunk(chunks.get(k), buf, hasher, destination, stats);
                      if (proofHasher != null) {
                        recordProof(chunks.get(k), buf, proofHasher);
                      }
                      if (stream.isPresent() && !stream.get().feed(k, buf, 0, (int) n)) {
                        return null; // another worker failed: its error is the one to report
                      }
                      progress.update(done.addAndGet(n), total);
                    } catch (IOException | RuntimeException e) {
                      failed.set(true);
                      stream.ifPresent(StreamDigest::abort);
                      throw e;
                    }
                  }
                  return null;
                }));
      }
      awaitAll(pool, futures);
    }
  }

  /** Waits for every worker; the first I/O failure is thrown once all have stopped. */
  private static void awaitAll(ExecutorService pool, List<Future<?>> futures) throws IOException {
    IOException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        IOException io =
            cause instanceof IOException x
                ? x
                : cause instanceof UncheckedIOException u ? u.getCause() : null;
        if (io == null && cause instanceof RuntimeException r) {
          throw r;
        }
        if (first == null) {
          first = io;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pool.shutdownNow();
        throw new InterruptedIOException("transfer interrupted");
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Reads the run's blocks once, records their digests, writes data and zero runs. */
  private long sendChunk(
      BlockRun run,
      byte[] buf,
      Hasher hasher,
      Optional<WritableImage> destination,
      TransferStats stats)
      throws IOException {
    ByteRange span = grid.span(run.first(), run.end());
    long s = span.start();
    boolean[] data = new boolean[run.blocks()];
    for (long pos = s; pos < span.end(); ) {
      Extent x = source.extentAt(pos, span.end());
      int off = (int) (x.start() - s);
      if (x.zero()) {
        Arrays.fill(buf, off, off + (int) x.length(), (byte) 0);
      } else {
        source.readFully(x.start(), buf, off, (int) x.length());
        int first = (int) ((x.start() - s) / grid.blockSize());
        int last = (int) ((x.end() - 1 - s) / grid.blockSize());
        Arrays.fill(data, first, last + 1, true);
      }
      pos = x.end();
    }
    boolean[] zero = new boolean[run.blocks()];
    for (int i = run.first(); i < run.end(); i++) {
      ByteRange block = grid.block(i);
      int off = (int) (block.start() - s);
      int len = (int) block.length();
      zero[i - run.first()] = !data[i - run.first()] || Zeros.isZero(buf, off, len);
      if (digests.isPresent()) {
        if (zero[i - run.first()]) {
          digests.get().zero(i);
        } else {
          digests.get().hash(i, hasher, buf, off, len);
        }
      }
    }
    if (destination.isPresent()) {
      write(run, zero, buf, s, destination.get(), stats);
    }
    return span.length();
  }

  /** Records the proof list's blocks in the chunk just read, which holds only whole ones. */
  private void recordProof(BlockRun run, byte[] buf, Hasher hasher) {
    BlockDigestList list = proof.orElseThrow();
    BlockGrid pg = list.grid();
    ByteRange span = grid.span(run.first(), run.end());
    int first = pg.blockOf(span.start());
    int last = pg.blockOf(span.end() - 1);
    for (int i = first; i <= last; i++) {
      ByteRange b = pg.block(i);
      if (b.start() < span.start() || b.end() > span.end()) {
        throw new IllegalStateException(b + " is not within the chunk " + span);
      }
      int off = (int) (b.start() - span.start());
      if (Zeros.isZero(buf, off, (int) b.length())) {
        list.zero(i);
      } else {
        list.hash(i, hasher, buf, off, (int) b.length());
      }
    }
  }

  /** Writes the chunk as alternating runs of data blocks and zero blocks. */
  private void write(
      BlockRun run, boolean[] zero, byte[] buf, long s, WritableImage to, TransferStats stats)
      throws IOException {
    for (int i = run.first(); i < run.end(); ) {
      boolean z = zero[i - run.first()];
      int j = i;
      while (j < run.end() && zero[j - run.first()] == z) {
        j++;
      }
      ByteRange r = grid.span(i, j);
      if (z) {
        to.zero(r.start(), r.length());
        stats.zero().addAndGet(r.length());
      } else {
        // Past the page cache where the destination allows it (a local file or device: the
        // download's read-back comes from the medium anyway); a daemon gets a PUT either way.
        to.writeDirect(r.start(), buf, (int) (r.start() - s), (int) r.length());
        stats.data().addAndGet(r.length());
      }
      i = j;
    }
  }
}
