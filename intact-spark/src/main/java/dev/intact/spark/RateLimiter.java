package dev.intact.spark;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * One task's share of {@code --rate}: told of every byte read, it parks the reading thread until
 * the bytes read so far fit the rate since the task started. Zero means no limit.
 */
final class RateLimiter implements LongConsumer {
  private final long bytesPerSecond;
  private final long start = System.nanoTime();
  private long total;

  RateLimiter(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public void accept(long bytes) {
    if (bytesPerSecond <= 0) {
      return;
    }
    total += bytes;
    long due = start + (long) (total * 1e9 / bytesPerSecond);
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }
}
