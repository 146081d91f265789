package dev.intact.client;

import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A whole-stream checksum (sha256, crc32c...) computed inline by parallel workers: it needs every
 * byte in order, so each worker feeds its chunk when all chunks before it are in, holding its own
 * buffer until then. Workers take chunks in increasing order, so the worker holding the lowest
 * chunk not yet fed never waits: no deadlock, and memory stays one buffer per worker.
 */
final class StreamDigest {
  private final Hasher hasher;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition turn = lock.newCondition();
  private int next;
  private boolean aborted;

  StreamDigest(Hasher hasher) {
    this.hasher = hasher;
  }

  /**
   * Feeds chunk {@code index} (chunks count from 0) once every chunk before it was fed.
   *
   * @return false if the transfer was aborted while waiting: the value will never be finished
   * @throws InterruptedIOException if interrupted while waiting
   */
  boolean feed(int index, byte[] buf, int offset, int length) throws InterruptedIOException {
    lock.lock();
    try {
      while (next != index && !aborted) {
        turn.await();
      }
      if (aborted) {
        return false;
      }
      // Hashed under the lock: the next chunk has to wait for this one anyway.
      hasher.update(buf, offset, length);
      next++;
      turn.signalAll();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("waiting to hash chunk " + index + " interrupted");
    } finally {
      lock.unlock();
    }
  }

  /** Releases the workers waiting for a chunk that will not come (another worker failed). */
  void abort() {
    lock.lock();
    try {
      aborted = true;
      turn.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The value over all chunks fed.
   *
   * @throws IllegalStateException if {@code chunks} were not all fed
   */
  HashCode finish(int chunks) {
    lock.lock();
    try {
      if (aborted || next != chunks) {
        throw new IllegalStateException(next + " of " + chunks + " chunks were hashed");
      }
      return hasher.finish();
    } finally {
      lock.unlock();
    }
  }
}
