package dev.intact.core.checksum;

import dev.intact.core.posix.FileMapping;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.NativeIoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mapped windows of a file, each populated ({@code MADV_POPULATE_READ}) before it is handed out,
 * the next one mapped and populated on another thread while the caller hashes the current one:
 * populating is the kernel setting up page-table entries (system time), hashing is the kernel
 * reading them (user time), and on two or more cores the two overlap instead of adding up.
 *
 * <p>The other thread is a platform thread, started at the first window asked for ahead: populating
 * reads what the page cache lacks from the storage, a wait that must not hold a virtual thread's
 * carrier. At most two windows are mapped at once.
 */
final class PopulatedWindows implements AutoCloseable {
  private final NativeFile file;
  private ExecutorService populator;
  private Future<FileMapping> ahead; // mapping of [aheadFrom, aheadTo), or null if it cannot be
  private long aheadFrom;
  private long aheadTo;

  PopulatedWindows(NativeFile file) {
    this.file = file;
  }

  /**
   * The populated mapping of {@code [from, to)} ({@code from} a multiple of the page size): the one
   * prepared ahead if it is that range, else mapped and populated now. Null when the file cannot be
   * mapped there or a page cannot be populated (ENODEV on some pseudo file systems, EINVAL before
   * Linux 5.14, EIO or EFAULT for pages the storage cannot read or the file no longer has): the
   * caller reads with {@code pread} instead, which says what is wrong.
   */
  FileMapping take(long from, long to) throws IOException {
    if (ahead != null) {
      Future<FileMapping> prepared = ahead;
      boolean same = aheadFrom == from && aheadTo == to;
      ahead = null;
      FileMapping mapping = await(prepared);
      if (same) {
        return mapping;
      }
      if (mapping != null) {
        mapping.close();
      }
    }
    return populated(file, from, to);
  }

  /** Starts mapping and populating {@code [from, to)} on the other thread, for the next take. */
  void prepare(long from, long to) throws IOException {
    if (ahead != null) {
      FileMapping stale = await(ahead);
      ahead = null;
      if (stale != null) {
        stale.close();
      }
    }
    if (populator == null) {
      populator =
          Executors.newSingleThreadExecutor(
              Thread.ofPlatform().daemon().name("intact-populate").factory());
    }
    aheadFrom = from;
    aheadTo = to;
    ahead = populator.submit(() -> populated(file, from, to));
  }

  /** Unmaps a window prepared and not taken, and stops the other thread. */
  @Override
  public void close() throws IOException {
    try {
      if (ahead != null) {
        FileMapping unused = await(ahead);
        ahead = null;
        if (unused != null) {
          unused.close();
        }
      }
    } finally {
      if (populator != null) {
        populator.shutdown();
      }
    }
  }

  private static FileMapping populated(NativeFile file, long from, long to)
      throws NativeIoException {
    FileMapping mapping;
    try {
      mapping = FileMapping.map(file, from, to - from);
    } catch (NativeIoException e) {
      return null;
    }
    try {
      mapping.populate();
      return mapping;
    } catch (NativeIoException e) {
      mapping.close();
      return null;
    }
  }

  private static FileMapping await(Future<FileMapping> future) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          // The window must be unmapped whatever happens, so wait for it; interrupt again after.
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case UncheckedIOException io -> throw io;
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
