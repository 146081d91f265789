package dev.intact.core.nbd.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  /**
   * A server arms a deadline per request: one disarmed must leave the timer at once, or the heap
   * holds every request of the last timeout's worth of seconds.
   */
  @Test
  void aDisarmedDeadlineLeavesNothingQueued() {
    for (int i = 0; i < 10_000; i++) {
      try (Watchdog.Armed armed = Watchdog.arm(Duration.ofHours(1), () -> {})) {
        assertThat(armed.fired()).isFalse();
      }
    }
    // Other tests of this JVM may hold a few deadlines armed at this moment.
    assertThat(Watchdog.queued()).isLessThan(100);
  }

  @Test
  void aDeadlineThatPassesRunsItsAction() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    try (Watchdog.Armed armed = Watchdog.arm(Duration.ofMillis(1), ran::countDown)) {
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(armed.fired()).isTrue();
    }
  }
}
