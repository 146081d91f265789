package dev.intact.core.checksum;

import dev.intact.core.hash.Hasher;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Hashes a byte sequence in order in a single pass: reader threads fill buffers ahead while the
 * calling thread hashes them in order. An image is read by several readers at once (a fast hash
 * such as crc32c outruns one thread's page-cache copies); a stream by one, in order. Holes are not
 * read; their zeros are fed from the shared zero buffer (a whole-stream value needs every byte).
 *
 * <p>An image is read into native memory when the hasher hashes it in place ({@link
 * Hasher#hashesDirectBuffersInPlace}): a local file's {@code pread} then goes through the one
 * downcall stub every system call uses, and so does libxxhash, where a heap array would need a stub
 * of its own for each (~10 ms of CPU each at every start), and the kernel reads it no slower.
 */
final class WholeStreamPipeline {

  /**
   * A piece of the sequence in order: zeros (a hole), or a buffer being filled by a reader: a heap
   * array, or native memory.
   */
  private static final class Piece {
    final long zeros;
    MemorySegment buffer;
    CompletableFuture<Integer> read; // the number of bytes the reader put in the buffer

    Piece(long zeros) {
      this.zeros = zeros;
    }
  }

  /** Plans the next piece and starts its read, or returns null at the end. */
  @FunctionalInterface
  private interface Planner {
    Piece next(MemorySegment buffer) throws IOException;
  }

  /** Holes are fed and reported in steps of this size, so progress moves through big ones. */
  private static final long ZERO_FEED = 64 << 20;

  private final int bufferSize;
  private final int readers;
  private final long mapWindow;

  /**
   * Reads go to buffers of {@code bufferSize} bytes, done by up to {@code readers} threads; files
   * are mapped {@code mapWindow} bytes at a time.
   */
  WholeStreamPipeline(int bufferSize, int readers, long mapWindow) {
    this.bufferSize = bufferSize;
    this.readers = readers;
    this.mapWindow = mapWindow;
  }

  /**
   * Hashes {@code [start, end)} of the image: a local regular file straight from the page cache
   * when the hasher reads mapped memory in place ({@link MappedWholeStream}), and whatever that
   * leaves with reads.
   */
  void run(Image image, long start, long end, Hasher hasher, ProgressListener progress)
      throws IOException {
    long mappedUpTo = start;
    if (end - start > bufferSize
        && hasher.prefersMappedFiles()
        && image instanceof LocalImage local
        && !local.isBlockDevice()) {
      mappedUpTo = MappedWholeStream.hash(local, start, end, mapWindow, hasher, progress);
    }
    if (end - mappedUpTo > bufferSize && hasher.hashesDirectBuffersInPlace()) {
      try (Arena arena = Arena.ofShared()) {
        read(image, mappedUpTo, end, hasher, progress, () -> arena.allocate(bufferSize, 4096));
      }
    } else {
      read(
          image,
          mappedUpTo,
          end,
          hasher,
          progress,
          () -> MemorySegment.ofArray(new byte[bufferSize]));
    }
  }

  /**
   * Hashes {@code [start, end)} of the image with reads into buffers {@code buffers} makes. The
   * readers have ended when it returns (their buffers may be freed).
   */
  private void read(
      Image image,
      long start,
      long end,
      Hasher hasher,
      ProgressListener progress,
      Supplier<MemorySegment> buffers)
      throws IOException {
    if (end - start <= bufferSize) {
      // Small: one read, no thread.
      byte[] buf = new byte[(int) (end - start)];
      image.readFully(start, buf, 0, buf.length);
      hasher.update(buf, 0, buf.length);
      progress.advance(buf.length);
      return;
    }
    Workers<Void> pool = new Workers<>("intact-read", readers, () -> null);
    try {
      Planner planner =
          new Planner() {
            private long position = start;
            private Extent extent;

            @Override
            public Piece next(MemorySegment buffer) throws IOException {
              if (position >= end) {
                return null;
              }
              if (extent == null || extent.end() <= position) {
                extent = image.extentAt(position, end);
              }
              if (extent.zero()) {
                Piece hole = new Piece(extent.end() - position);
                position = extent.end();
                return hole;
              }
              long at = position;
              int n = (int) Math.min(buffer.byteSize(), extent.end() - position);
              position += n;
              Piece p = new Piece(0);
              p.read = new CompletableFuture<>();
              pool.submit(
                  none -> {
                    try {
                      readInto(image, at, buffer, n);
                      p.read.complete(n);
                    } catch (Throwable t) {
                      p.read.completeExceptionally(t);
                    }
                  });
              return p;
            }
          };
      consume(planner, buffers, readers + 2, false, hasher, progress);
    } finally {
      pool.stop();
    }
  }

  /** Hashes the stream to its end; returns the number of bytes. */
  long run(InputStream in, Hasher hasher, ProgressListener progress) throws IOException {
    // One reader: its tasks run one after the other, so the stream is read in order.
    Workers<Void> pool = new Workers<>("intact-read", 1, () -> null);
    try {
      return consume(
          buffer -> {
            Piece p = new Piece(0);
            p.read = new CompletableFuture<>();
            pool.submit(
                none -> {
                  try {
                    p.read.complete(in.readNBytes(array(buffer), 0, (int) buffer.byteSize()));
                  } catch (Throwable t) {
                    p.read.completeExceptionally(t);
                  }
                });
            return p;
          },
          () -> MemorySegment.ofArray(new byte[bufferSize]),
          3,
          true,
          hasher,
          progress);
    } finally {
      pool.stop();
    }
  }

  /**
   * Keeps up to {@code window} reads going and hashes the pieces in order. With {@code
   * shortReadEnds} (a stream), a read that comes back short ends the input: nothing more is
   * planned, and the reads already queued find nothing.
   */
  private long consume(
      Planner planner,
      Supplier<MemorySegment> buffers,
      int window,
      boolean shortReadEnds,
      Hasher hasher,
      ProgressListener progress)
      throws IOException {
    ArrayDeque<Piece> queue = new ArrayDeque<>();
    ArrayDeque<MemorySegment> spare = new ArrayDeque<>();
    int reading = 0;
    boolean planned = false;
    long total = 0;
    while (true) {
      while (!planned && reading < window && queue.size() < 2 * window) {
        MemorySegment buffer = spare.isEmpty() ? buffers.get() : spare.poll();
        Piece p = planner.next(buffer);
        if (p == null) {
          planned = true;
          spare.add(buffer);
        } else {
          if (p.read != null) {
            p.buffer = buffer;
            reading++;
          } else {
            spare.add(buffer);
          }
          queue.add(p);
        }
      }
      Piece head = queue.poll();
      if (head == null) {
        return total;
      }
      if (head.read == null) {
        feedZeros(hasher, head.zeros, progress);
        total += head.zeros;
        continue;
      }
      int n = Workers.await(head.read);
      hash(hasher, head.buffer, n);
      progress.advance(n);
      total += n;
      spare.add(head.buffer);
      reading--;
      if (shortReadEnds && n < head.buffer.byteSize()) {
        planned = true;
      }
    }
  }

  /** Reads {@code n} bytes at {@code position} into the start of {@code buffer}. */
  private static void readInto(Image image, long position, MemorySegment buffer, int n)
      throws IOException {
    if (buffer.isNative()) {
      image.readFully(position, buffer.asSlice(0, n));
    } else {
      image.readFully(position, array(buffer), 0, n);
    }
  }

  /** Hashes the first {@code n} bytes of {@code buffer}. */
  private static void hash(Hasher hasher, MemorySegment buffer, int n) {
    if (buffer.isNative()) {
      hasher.update(buffer.asSlice(0, n).asByteBuffer());
    } else {
      hasher.update(array(buffer), 0, n);
    }
  }

  /** The array a heap buffer is (all of it: heap buffers are whole arrays). */
  private static byte[] array(MemorySegment heapBuffer) {
    return (byte[]) heapBuffer.heapBase().orElseThrow();
  }

  /** Feeds {@code length} zeros (a hole) to the hasher, reporting progress as they go. */
  static void feedZeros(Hasher hasher, long length, ProgressListener progress) {
    for (long left = length; left > 0; ) {
      long n = Math.min(left, ZERO_FEED);
      Zeros.feed(hasher, n);
      progress.advance(n);
      left -= n;
    }
  }
}
