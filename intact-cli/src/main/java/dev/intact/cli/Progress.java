package dev.intact.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (bytes, rate, ETA) for work that lasts: it appears only after {@link
 * #DELAY_MILLIS}, so quick sums print nothing and do not pay for loading the terminal library.
 * Workers report through {@link #listener()}, a lock-free counter; one thread draws.
 */
public final class Progress implements AutoCloseable {
  /** How long work may run before a bar appears; {@code -Dintact.progress.delay=0} for tests. */
  static final long DELAY_MILLIS = Long.getLong("intact.progress.delay", 500);

  private static final long REFRESH_MILLIS = 200;

  private final LongAdder done = new LongAdder();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread drawer;

  private Progress(String task, long total) {
    drawer = Thread.ofPlatform().daemon().name("intact-progress").start(() -> draw(task, total));
  }

  /**
   * A progress display for {@code total} bytes (-1 when unknown). It draws only if the work lasts
   * and stderr is a terminal.
   */
  public static Progress start(String task, long total) {
    return new Progress(task, total);
  }

  public LongConsumer listener() {
    return done::add;
  }

  private void draw(String task, long total) {
    try {
      // Asked only now: quick sums never pay for the native call.
      if (finished.await(DELAY_MILLIS, TimeUnit.MILLISECONDS)
          || !Terminals.isTerminal(Terminals.STDERR)) {
        return;
      }
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(total)
              .setUnit(" MiB", 1 << 20)
              .showSpeed()
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .setUpdateIntervalMillis((int) REFRESH_MILLIS)
              .setConsumer(new ConsoleProgressBarConsumer(System.err))
              .build()) {
        do {
          bar.stepTo(done.sum());
        } while (!finished.await(REFRESH_MILLIS, TimeUnit.MILLISECONDS));
        bar.stepTo(done.sum());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops drawing and waits until the bar's last line is out, before results go to stdout. */
  @Override
  public void close() {
    finished.countDown();
    try {
      drawer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
