package dev.intact.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * A progress line on stderr (MiB done of total, percent, rate, ETA) for work that lasts: it appears
 * only after {@link #DELAY_MILLIS}, so quick sums print nothing. Workers report through {@link
 * #listener()}, a lock-free counter; one virtual thread waits and draws (a platform thread per
 * input made {@code -c} of a million-line sum file slow).
 *
 * <p>The line is drawn by hand, in ASCII, at most {@link #WIDTH} columns: terminal libraries ask
 * the terminal's width by running {@code stty} (dozens of processes per sum), and a fixed width
 * that fits any terminal needs no question.
 */
final class Progress implements AutoCloseable {
  /** How long work may run before a bar appears; {@code -Dintact.progress.delay=0} for tests. */
  static final long DELAY_MILLIS = Long.getLong("intact.progress.delay", 500);

  /** Columns the line may take: fits the 80-column terminal, leaving the last column free. */
  static final int WIDTH = 79;

  private static final long REFRESH_MILLIS = 200;
  private static final int BAR = 20;
  private static final int NAME = 20;
  private static final double MIB = 1 << 20;

  private final LongAdder done = new LongAdder();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final long startNanos = System.nanoTime();
  private final Thread drawer;

  private Progress(String task, long total) {
    drawer = Thread.ofVirtual().name("intact-progress").start(() -> draw(task, total));
  }

  /**
   * A progress display for {@code total} bytes (-1 when unknown). It draws only if the work lasts
   * and stderr is a terminal.
   */
  static Progress start(String task, long total) {
    return new Progress(task, total);
  }

  LongConsumer listener() {
    return done::add;
  }

  private void draw(String task, long total) {
    try {
      // Asked only now: quick sums never pay for the native call.
      if (finished.await(DELAY_MILLIS, TimeUnit.MILLISECONDS)
          || !Terminals.isTerminal(Terminals.STDERR)) {
        return;
      }
      PrintStream err = System.err;
      do {
        err.print('\r' + line(task, done.sum(), total, System.nanoTime() - startNanos));
        err.flush();
      } while (!finished.await(REFRESH_MILLIS, TimeUnit.MILLISECONDS));
      err.print('\r' + line(task, done.sum(), total, System.nanoTime() - startNanos) + '\n');
      err.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One frame, padded to {@link #WIDTH} so it covers the previous one: {@code name 43%
   * [########............] 1234/4096 MiB 210.5 MiB/s ETA 0:00:13}; without a total, bytes and rate.
   */
  static String line(String task, long done, long total, long elapsedNanos) {
    double seconds = elapsedNanos / 1e9;
    double rate = seconds > 0 ? done / MIB / seconds : 0;
    StringBuilder b = new StringBuilder(WIDTH);
    b.append(shorten(ascii(task)));
    if (total > 0) {
      long percent = Math.min(100, done * 100 / total);
      int filled = (int) Math.min(BAR, done * BAR / total);
      b.append(String.format(Locale.ROOT, " %3d%% [", percent))
          .append("#".repeat(filled))
          .append(".".repeat(BAR - filled))
          .append(String.format(Locale.ROOT, "] %d/%d MiB", mib(done), mib(total)));
    } else {
      b.append(String.format(Locale.ROOT, " %d MiB", mib(done)));
    }
    b.append(String.format(Locale.ROOT, " %.1f MiB/s", rate));
    if (total > 0 && done < total && rate > 0) {
      long eta = (long) ((total - done) / MIB / rate);
      b.append(
          String.format(Locale.ROOT, " ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
    }
    if (b.length() > WIDTH) {
      b.setLength(WIDTH);
    }
    while (b.length() < WIDTH) {
      b.append(' ');
    }
    return b.toString();
  }

  /** Rounded up, so a started last MiB shows: 64 MiB done of 64 prints 64/64. */
  private static long mib(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  private static String shorten(String name) {
    return name.length() <= NAME ? name : "..." + name.substring(name.length() - (NAME - 3));
  }

  /** Names may hold any bytes; the line must not carry control characters to the terminal. */
  private static String ascii(String name) {
    StringBuilder b = new StringBuilder(name.length());
    name.chars().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    return b.toString();
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
