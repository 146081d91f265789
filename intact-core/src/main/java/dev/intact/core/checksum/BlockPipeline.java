package dev.intact.core.checksum;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.PendingRead;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Computes the block digests of a byte sequence in order, with a pool of workers.
 *
 * <p>The calling thread plans (walks the allocation map), submits data segments to the workers and
 * combines their digests in block order into a {@link DigestSink}; it never hashes data itself.
 * Runs of blocks inside holes are never read: they reach the sink as a repeated precomputed zero
 * digest, in large updates. At most {@code window} segments are in flight, so memory is bounded by
 * the worker count whatever the size of the input; the result never depends on the worker count.
 */
final class BlockPipeline {

  /** Receives the concatenated block digests, in block order. */
  @FunctionalInterface
  interface DigestSink {
    void accept(byte[] digests, int offset, int length);
  }

  /** The next piece of input in order, or null at the end. */
  private interface Producer {
    Item next() throws IOException;

    /** Takes back the buffer of a segment whose digests are combined. */
    default void recycle(byte[] buffer) {}
  }

  private sealed interface Item permits ZeroRun, Segment {}

  /** {@code blocks} full zero blocks and then, if {@code tail > 0}, a short zero block. */
  private record ZeroRun(long blocks, int tail) implements Item {}

  /**
   * Data to hash: read by the worker from an image, or already in {@code buffer} (read from a
   * stream, or being read into it once {@code pending} is done).
   */
  private static final class Segment implements Item {
    final long position;
    final int length;
    final byte[] buffer;
    final PendingRead pending;
    byte[] digests;
    int digestBytes;
    Future<?> done;

    Segment(long position, int length, byte[] buffer, PendingRead pending) {
      this.position = position;
      this.length = length;
      this.buffer = buffer;
      this.pending = pending;
    }
  }

  private final HashAlgorithm inner;
  private final int blockSize;
  private final int digestLength;
  private final int threads;
  private final int chunk;
  private final int segmentLength;
  private SegmentHasher inlineHasher; // the calling thread's, when there are no workers

  BlockPipeline(HashAlgorithm inner, int blockSize, int threads, int chunk) {
    this.inner = inner;
    this.blockSize = blockSize;
    this.digestLength = inner.digestLength();
    this.threads = threads;
    this.chunk = chunk;
    this.segmentLength = SegmentHasher.segmentLength(blockSize, chunk);
  }

  /** Feeds the digests of the blocks of {@code [start, end)} of the image to the sink. */
  void run(Image image, long start, long end, DigestSink sink, ProgressListener progress)
      throws IOException {
    ImagePlanner planner = new ImagePlanner(image, start, end);
    boolean parallel = threads > 1 && end - start > segmentLength;
    if (parallel && image.pipelinesReads()) {
      // Reads are requests to a server (qemu-nbd): started here as segments are planned, they keep
      // it busy while the workers hash, where a worker reading its own segment left it idle for a
      // round trip per segment. Each segment in flight holds a buffer.
      run(new ReadAheadPlanner(image, planner), null, true, 4 * threads + 2, sink, progress);
      return;
    }
    // Segments in flight hold only their digests: a deep window costs little.
    run(planner, image::readFully, parallel, 4 * threads, sink, progress);
  }

  /** Feeds the digests of the stream's blocks to the sink; returns the number of bytes read. */
  long run(InputStream in, DigestSink sink, ProgressListener progress) throws IOException {
    if (blockSize > chunk) {
      // Each block is read in chunks by one hasher: sequential, memory bounded by one chunk.
      SegmentHasher hasher = new SegmentHasher(inner, blockSize, chunk);
      byte[] digest = new byte[digestLength];
      long total = 0;
      for (int n; (n = hasher.hashStreamBlock(in, digest)) > 0; total += n) {
        sink.accept(digest, 0, digestLength);
        progress.advance(n);
      }
      return total;
    }
    StreamPlanner planner = new StreamPlanner(in);
    // Each segment in flight holds a buffer: a window just deep enough to keep the workers busy.
    run(planner, null, threads > 1, threads + 2, sink, progress);
    return planner.total;
  }

  private void run(
      Producer producer,
      SegmentHasher.Source source,
      boolean parallel,
      int window,
      DigestSink sink,
      ProgressListener progress)
      throws IOException {
    // Started with the first data segment: an image that is all holes needs no threads.
    Workers<SegmentHasher> pool = null;
    ArrayDeque<Item> queue = new ArrayDeque<>();
    ArrayDeque<byte[]> spareDigests = new ArrayDeque<>();
    int inFlight = 0;
    boolean exhausted = false;
    try {
      while (true) {
        while (!exhausted && inFlight < window && queue.size() < 2 * window) {
          Item item = producer.next();
          if (item == null) {
            exhausted = true;
          } else {
            if (item instanceof Segment s) {
              if (parallel && pool == null) {
                pool = new Workers<>("intact-hash", threads, this::newHasher);
              }
              byte[] digests = spareDigests.poll();
              s.digests = digests != null ? digests : new byte[segmentDigestBytes()];
              s.done = submit(pool, s, source);
              inFlight++;
            }
            queue.add(item);
          }
        }
        Item head = queue.poll();
        if (head == null) {
          return;
        }
        // instanceof, not a pattern switch: a switch on types spins a class at run time, which
        // the AOT cache does not hold.
        if (head instanceof ZeroRun z) {
          feedZeros(z, sink, progress);
        } else {
          Segment s = (Segment) head;
          Workers.await(s.done);
          sink.accept(s.digests, 0, s.digestBytes);
          progress.advance(s.length);
          spareDigests.add(s.digests);
          if (s.buffer != null) {
            producer.recycle(s.buffer);
          }
          inFlight--;
        }
      }
    } finally {
      if (pool != null) {
        pool.stop();
      }
    }
  }

  private int segmentDigestBytes() {
    return segmentLength / blockSize * digestLength;
  }

  private Future<?> submit(Workers<SegmentHasher> pool, Segment s, SegmentHasher.Source source) {
    s.digestBytes = Math.ceilDiv(s.length, blockSize) * digestLength;
    if (pool == null) {
      try {
        if (inlineHasher == null) {
          inlineHasher = newHasher();
        }
        hash(inlineHasher, s, source);
        return CompletableFuture.completedFuture(null);
      } catch (IOException | RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    pool.submit(
        hasher -> {
          try {
            hash(hasher, s, source);
            done.complete(null);
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        });
    return done;
  }

  private SegmentHasher newHasher() {
    return new SegmentHasher(inner, blockSize, chunk);
  }

  private static void hash(SegmentHasher hasher, Segment s, SegmentHasher.Source source)
      throws IOException {
    if (s.buffer != null) {
      if (s.pending != null) {
        s.pending.await();
      }
      hasher.hashBuffer(s.buffer, s.length, s.digests);
    } else {
      hasher.hashSegment(source, s.position, s.length, s.digests);
    }
  }

  private void feedZeros(ZeroRun z, DigestSink sink, ProgressListener progress) {
    byte[] repeated = Zeros.repeatedDigest(inner, blockSize);
    long perUpdate = repeated.length / digestLength;
    for (long left = z.blocks(); left > 0; ) {
      long n = Math.min(left, perUpdate);
      sink.accept(repeated, 0, (int) n * digestLength);
      progress.advance(n * blockSize);
      left -= n;
    }
    if (z.tail() > 0) {
      sink.accept(Zeros.digestOf(inner, z.tail()), 0, digestLength);
      progress.advance(z.tail());
    }
  }

  /**
   * Walks the allocation map of {@code [start, end)}: full blocks inside zero extents become zero
   * runs (no reads), everything else becomes data segments of whole blocks. A block that is only
   * partly inside a hole is data.
   */
  private final class ImagePlanner implements Producer {
    private final Image image;
    private final long start;
    private final long end;
    private long position;
    private Extent extent;

    ImagePlanner(Image image, long start, long end) {
      this.image = image;
      this.start = start;
      this.end = end;
      this.position = start;
    }

    @Override
    public Item next() throws IOException {
      if (position >= end) {
        return null;
      }
      if (extent == null || extent.end() <= position) {
        extent = image.extentAt(position, end);
      }
      if (extent.zero()) {
        long zeroEnd = extent.end();
        if (zeroEnd == end) {
          long length = end - position;
          position = end;
          return new ZeroRun(length / blockSize, (int) (length % blockSize));
        }
        long blocks = (zeroEnd - position) / blockSize;
        if (blocks > 0) {
          position += blocks * blockSize;
          return new ZeroRun(blocks, 0);
        }
        // The hole ends inside this block: the block is data.
        return segment(Math.min(position + blockSize, end));
      }
      long blockEnd = start + Math.ceilDiv(extent.end() - start, blockSize) * blockSize;
      return segment(Math.min(Math.min(position + segmentLength, blockEnd), end));
    }

    private Segment segment(long segmentEnd) {
      Segment s = new Segment(position, (int) (segmentEnd - position), null, null);
      position = segmentEnd;
      return s;
    }
  }

  /** Starts the read of each data segment of a plan into a buffer, reused once combined. */
  private final class ReadAheadPlanner implements Producer {
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private final Image image;
    private final ImagePlanner plan;

    ReadAheadPlanner(Image image, ImagePlanner plan) {
      this.image = image;
      this.plan = plan;
    }

    @Override
    public Item next() throws IOException {
      Item item = plan.next();
      if (!(item instanceof Segment s)) {
        return item;
      }
      byte[] buffer = spare.poll();
      if (buffer == null) {
        buffer = new byte[segmentLength];
      }
      return new Segment(
          s.position, s.length, buffer, image.startRead(s.position, buffer, 0, s.length));
    }

    @Override
    public void recycle(byte[] buffer) {
      spare.add(buffer);
    }
  }

  /** Reads a stream into segment buffers; the buffers are reused once combined. */
  private final class StreamPlanner implements Producer {
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private final InputStream in;
    private long total;

    StreamPlanner(InputStream in) {
      this.in = in;
    }

    @Override
    public Item next() throws IOException {
      byte[] buffer = spare.poll();
      if (buffer == null) {
        buffer = new byte[segmentLength];
      }
      int n = in.readNBytes(buffer, 0, segmentLength);
      if (n == 0) {
        spare.add(buffer);
        return null;
      }
      Segment s = new Segment(total, n, buffer, null);
      total += n;
      return s;
    }

    @Override
    public void recycle(byte[] buffer) {
      spare.add(buffer);
    }
  }
}
