package dev.intact.cli.record;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A byte rate shared by every worker of a scrub ({@code --rate 200M}): each reader reports what it
 * read and waits until the run as a whole is back under the rate, so a scrub leaves the disks to
 * the production load. A rate of 0 means no limit.
 */
final class RateLimit {
  private final long bytesPerSecond;
  private final long start = System.nanoTime();
  private long bytes;

  RateLimit(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Counts {@code n} bytes read and waits while the run is ahead of the rate. */
  void acquire(long n) {
    if (bytesPerSecond <= 0) {
      return;
    }
    long due;
    synchronized (this) {
      bytes += n;
      due = start + (long) (bytes * 1e9 / bytesPerSecond);
    }
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }
}
