package dev.intact.server.job;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.ThreadPriority;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's hashing of its storage (checksum jobs, imageio's {@code /checksum}, block digests):
 * on platform threads at nice {@value #NICE}, each with the hashing threads it starts, which
 * inherit that value.
 *
 * <p>Not on the virtual threads requests run on: hashing never waits, so it would hold its carrier,
 * and with one CPU (one carrier) every other request would wait for it. At a lower priority than
 * requests: a client sending data, or asking whether a ticket exists, is answered first, and a long
 * checksum takes the CPU that is left. Measured in BENCHMARKS.md ("hashing off the request
 * carriers").
 */
public final class Hashing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Hashing.class);

  /** Below every request's priority, above nothing else the daemon runs. */
  static final int NICE = 10;

  private final ChecksumEngine engine;
  private final ExecutorService threads = Executors.newThreadPerTaskExecutor(factory("hashing-"));

  Hashing(ChecksumEngine engine) {
    this.engine = engine;
  }

  /** Platform threads named {@code prefix} and a number that lower their priority first. */
  static ThreadFactory factory(String prefix) {
    ThreadFactory platform = Thread.ofPlatform().daemon().name(prefix, 1).factory();
    return task ->
        platform.newThread(
            () -> {
              lowerPriority();
              task.run();
            });
  }

  private static void lowerPriority() {
    try {
      ThreadPriority.lower(NICE);
    } catch (NativeIoException e) {
      LOG.debug(
          "{} hashes at normal priority: {}", Thread.currentThread().getName(), e.getMessage());
    }
  }

  /** The checksum of {@code range} of {@code image}; the caller waits without holding a carrier. */
  public Checksum compute(
      Image image, ChecksumType type, ByteRange range, ProgressListener progress)
      throws IOException {
    return call(() -> engine.compute(image, type, range, progress));
  }

  /** The digests of the blocks of {@code range}, as {@link ChecksumEngine#blockDigests}. */
  public List<HashCode> blockDigests(
      Image image, HashAlgorithm inner, int blockSize, ByteRange range) throws IOException {
    return call(() -> engine.blockDigests(image, inner, blockSize, range));
  }

  private <T> T call(Callable<T> work) throws IOException {
    Future<T> done = threads.submit(work);
    try {
      return done.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case UncheckedIOException u -> throw u.getCause();
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        case Throwable t -> throw new IOException(t);
      }
    } catch (InterruptedException e) {
      // The request was abandoned (its client left, the daemon stops): stop reading its image.
      done.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("hashing interrupted");
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
