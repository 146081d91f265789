package dev.intact.core.nbd.transport;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action (closing a channel) if a deadline passes first. Blocking socket channels have no
 * read timeout; closing the channel from here is what unblocks a read from a peer that went quiet.
 */
public final class Watchdog {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("intact-nbd-watchdog").unstarted(r));

  private Watchdog() {}

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
