package dev.intact.core.record;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.hash.Hasher;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Several checksums of one input in a single read pass: the caller's thread reads chunks, and each
 * type has a thread of its own hashing every chunk, so the slowest algorithm sets the pace (sha256
 * next to adler32 and crc32c costs about what sha256 alone does on two cores). A chunk's buffer
 * goes back to the reader when every hasher is done with it.
 */
public final class OnePassChecksums {
  /** Read size: 1 MiB, the checksum engine's chunk (it stays in L2 between read and hash). */
  static final int CHUNK = 1 << 20;

  private static final int BUFFERS = 6;

  private OnePassChecksums() {}

  /** Where the bytes come from: positional reads of exactly the length asked for. */
  @FunctionalInterface
  public interface Source {
    /**
     * Reads exactly {@code length} bytes at {@code position}.
     *
     * @throws EOFException if the input ends first
     */
    void readFully(long position, byte[] dst, int offset, int length) throws IOException;
  }

  /** A running state for any checksum type: whole-stream or block-hash list. */
  public static Hasher newHasher(ChecksumType type) {
    return switch (type) {
      case WholeStream w -> w.algorithm().newHasher();
      case BlockHashList b -> new BlockListHasher(b);
    };
  }

  /**
   * The checksums of the first {@code length} bytes of {@code source} (called {@code name} in
   * messages), one per type, in the order of {@code types}.
   *
   * @throws EOFException if the source ends before {@code length}
   */
  public static List<Checksum> compute(
      String name, Source source, long length, List<ChecksumType> types, LongConsumer progress)
      throws IOException {
    if (types.isEmpty()) {
      throw new IllegalArgumentException("no checksum type to compute");
    }
    List<Hasher> hashers = new ArrayList<>();
    for (ChecksumType t : types) {
      hashers.add(newHasher(t));
    }
    new FanOut(hashers).run(name, source, length, progress);
    List<Checksum> out = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      out.add(new Checksum(types.get(i), hashers.get(i).finish(), length));
    }
    return out;
  }

  /** A filled buffer on its way to every hasher; identity matters (the END marker), so a class. */
  private static final class Chunk {
    final byte[] buffer;
    final int length;
    final AtomicInteger pending;

    Chunk(byte[] buffer, int length, AtomicInteger pending) {
      this.buffer = buffer;
      this.length = length;
      this.pending = pending;
    }
  }

  /** One reader, one thread per hasher, a small pool of buffers between them. */
  private static final class FanOut {
    private static final Chunk END = new Chunk(new byte[0], 0, new AtomicInteger());

    private final List<Hasher> hashers;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final List<BlockingQueue<Chunk>> queues = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    FanOut(List<Hasher> hashers) {
      this.hashers = hashers;
      for (int i = 0; i < hashers.size(); i++) {
        queues.add(new ArrayBlockingQueue<>(BUFFERS + 1));
      }
    }

    void run(String name, Source source, long length, LongConsumer progress) throws IOException {
      int buffers = (int) Math.max(1, Math.min(BUFFERS, Math.ceilDiv(length, CHUNK)));
      for (int i = 0; i < buffers; i++) {
        free.add(new byte[(int) Math.min(CHUNK, Math.max(length, 1))]);
      }
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < hashers.size(); i++) {
        Hasher h = hashers.get(i);
        BlockingQueue<Chunk> q = queues.get(i);
        workers.add(Thread.ofPlatform().daemon().name("intact-hash-" + i).start(() -> hash(h, q)));
      }
      try {
        long pos = 0;
        while (pos < length && failure.get() == null) {
          byte[] buf = free.take();
          int n = (int) Math.min(buf.length, length - pos);
          source.readFully(pos, buf, 0, n);
          Chunk c = new Chunk(buf, n, new AtomicInteger(queues.size()));
          for (BlockingQueue<Chunk> q : queues) {
            q.put(c);
          }
          pos += n;
          progress.accept(n);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        workers.forEach(Thread::interrupt);
        throw new InterruptedIOException("interrupted reading " + name);
      } finally {
        for (BlockingQueue<Chunk> q : queues) {
          q.add(END); // never blocks: a queue holds at most BUFFERS chunks, and has one more slot
        }
        join(workers);
      }
      Throwable t = failure.get();
      if (t != null) {
        throw new IllegalStateException("hashing " + name + " failed", t);
      }
    }

    private void hash(Hasher hasher, BlockingQueue<Chunk> queue) {
      try {
        for (Chunk c = queue.take(); c != END; c = queue.take()) {
          if (failure.get() == null) {
            hasher.update(c.buffer, 0, c.length);
          }
          if (c.pending.decrementAndGet() == 0) {
            free.add(c.buffer);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
        drain(queue);
      }
    }

    /** After a failure the reader stops; buffers still queued go back so it never waits. */
    private void drain(BlockingQueue<Chunk> queue) {
      try {
        for (Chunk c = queue.take(); c != END; c = queue.take()) {
          if (c.pending.decrementAndGet() == 0) {
            free.add(c.buffer);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void join(List<Thread> workers) {
      boolean interrupted = false;
      for (Thread w : workers) {
        while (true) {
          try {
            w.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
