package dev.intact.core.checksum;

import dev.intact.core.hash.Hasher;
import dev.intact.core.io.Extent;
import dev.intact.core.io.Image;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hashes a byte sequence in order in a single pass, reading on one thread while hashing on the
 * calling one. A few reusable buffers circulate between the two. Holes are not read; their zeros
 * are fed to the hasher from the shared zero buffer (a whole-stream value needs every byte).
 */
final class WholeStreamPipeline {
  private static final int BUFFERS = 3;

  /** What the reader hands over: bytes in a buffer, zeros, the end, or a failure. */
  private sealed interface Chunk {}

  private record Bytes(byte[] buffer, int length) implements Chunk {}

  private record ZeroBytes(long length) implements Chunk {}

  private record End() implements Chunk {}

  private record Failure(Throwable cause) implements Chunk {}

  /** The reading side, run on the reader thread. */
  @FunctionalInterface
  private interface Reader {
    void readAll(Handoff handoff) throws IOException, InterruptedException;
  }

  /** Buffers going to the hasher and coming back. */
  private static final class Handoff {
    final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(BUFFERS);
    private final int bufferSize;
    private int allocated;

    Handoff(int bufferSize) {
      this.bufferSize = bufferSize;
    }

    byte[] take() throws InterruptedException {
      byte[] b = empty.poll();
      if (b == null && allocated < BUFFERS) {
        allocated++;
        return new byte[bufferSize];
      }
      return b != null ? b : empty.take();
    }

    void put(Chunk chunk) throws InterruptedException {
      full.put(chunk);
    }
  }

  private final int bufferSize;

  /** Reads go to buffers of {@code bufferSize} bytes. */
  WholeStreamPipeline(int bufferSize) {
    this.bufferSize = bufferSize;
  }

  /** Hashes {@code [start, end)} of the image. */
  void run(Image image, long start, long end, Hasher hasher, ProgressListener progress)
      throws IOException {
    if (end - start <= bufferSize) {
      // Small: one read, no thread.
      byte[] buf = new byte[(int) (end - start)];
      image.readFully(start, buf, 0, buf.length);
      hasher.update(buf, 0, buf.length);
      progress.advance(buf.length);
      return;
    }
    run(
        handoff -> {
          for (long position = start; position < end; ) {
            Extent e = image.extentAt(position, end);
            if (e.zero()) {
              handoff.put(new ZeroBytes(e.length()));
            } else {
              for (long p = e.start(); p < e.end(); ) {
                byte[] buf = handoff.take();
                int n = (int) Math.min(buf.length, e.end() - p);
                image.readFully(p, buf, 0, n);
                handoff.put(new Bytes(buf, n));
                p += n;
              }
            }
            position = e.end();
          }
        },
        hasher,
        progress);
  }

  /** Hashes the stream to its end; returns the number of bytes. */
  long run(InputStream in, Hasher hasher, ProgressListener progress) throws IOException {
    long[] total = new long[1];
    run(
        handoff -> {
          while (true) {
            byte[] buf = handoff.take();
            int n = in.readNBytes(buf, 0, buf.length);
            if (n == 0) {
              return;
            }
            handoff.put(new Bytes(buf, n));
            total[0] += n; // read by this thread after joining the reader
          }
        },
        hasher,
        progress);
    return total[0];
  }

  private void run(Reader reader, Hasher hasher, ProgressListener progress)
      throws IOException {
    Handoff handoff = new Handoff(bufferSize);
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("intact-read")
            .start(
                () -> {
                  Chunk last;
                  try {
                    reader.readAll(handoff);
                    last = new End();
                  } catch (InterruptedException e) {
                    return; // the hasher gave up and stopped us
                  } catch (Throwable t) {
                    last = new Failure(t);
                  }
                  try {
                    handoff.put(last);
                  } catch (InterruptedException e) {
                    // the hasher gave up: nobody is waiting for the end
                  }
                });
    try {
      while (true) {
        Chunk chunk = handoff.full.take();
        switch (chunk) {
          case Bytes b -> {
            hasher.update(b.buffer(), 0, b.length());
            progress.advance(b.length());
            handoff.empty.add(b.buffer());
          }
          case ZeroBytes z -> {
            for (long left = z.length(); left > 0; ) {
              int n = (int) Math.min(left, Zeros.BUFFER.length);
              hasher.update(Zeros.BUFFER, 0, n);
              progress.advance(n);
              left -= n;
            }
          }
          case End e -> {
            return;
          }
          case Failure f -> throw rethrow(f.cause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    } finally {
      thread.interrupt();
      joinUninterruptibly(thread);
    }
  }

  private static IOException rethrow(Throwable t) {
    switch (t) {
      case IOException io -> {
        return io;
      }
      case UncheckedIOException u -> {
        return u.getCause();
      }
      case RuntimeException re -> throw re;
      case Error err -> throw err;
      default -> {
        return new IOException(t);
      }
    }
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
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
