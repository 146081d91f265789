package dev.intact.core.nbd.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action (closing a channel) if a deadline passes first. Blocking socket channels have no
 * read timeout; closing the channel from here is what unblocks a read from a peer that went quiet.
 */
public final class Watchdog {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  /**
   * One daemon thread. A deadline disarmed is removed from the queue at once: a cancelled task
   * otherwise stays queued until its time comes, and a server answering thousands of requests a
   * second, each armed for its timeout, would hold that many seconds' worth of them in its heap.
   */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("intact-nbd-watchdog").unstarted(r));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  private Watchdog() {}

  /** Deadlines in the timer's queue: the armed ones, of every caller. */
  static int queued() {
    return TIMER.getQueue().size();
  }

  /** An armed deadline; {@link #close()} disarms it. */
  public interface Armed extends AutoCloseable {
    /** Whether the deadline passed and the action ran. */
    boolean fired();

    @Override
    void close();
  }

  public static Armed arm(Duration timeout, Runnable onExpiry) {
    if (timeout.isZero() || timeout.isNegative()) {
      return new Armed() {
        @Override
        public boolean fired() {
          return false;
        }

        @Override
        public void close() {}
      };
    }
    boolean[] fired = new boolean[1];
    ScheduledFuture<?> f =
        TIMER.schedule(
            () -> {
              synchronized (fired) {
                fired[0] = true;
              }
              onExpiry.run();
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    return new Armed() {
      @Override
      public boolean fired() {
        synchronized (fired) {
          return fired[0];
        }
      }

      @Override
      public void close() {
        f.cancel(false);
      }
    };
  }
}
