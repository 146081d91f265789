package dev.intact.cli.flash;

import dev.intact.core.flash.FlashListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Tells the user how a flash goes: warnings and notes on stderr as they come, and, when stderr is a
 * terminal, a progress bar per phase (writing and verifying, rewriting). Workers report through a
 * lock-free counter; one thread draws.
 */
final class FlashProgress implements FlashListener, AutoCloseable {
  private static final long REFRESH_MILLIS = 200;

  private final PrintWriter err;
  private final boolean bars;
  private final LongAdder done = new LongAdder();
  private volatile ProgressBar bar;
  private volatile boolean started;
  private Thread drawer;

  FlashProgress(PrintWriter err, boolean bars) {
    this.err = err;
    this.bars = bars;
  }

  /** Whether stderr is a terminal (Linux: where fd 2 points), so that a bar is welcome there. */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** True once writing began: from then on the destination may be incomplete. */
  boolean started() {
    return started;
  }

  @Override
  public synchronized void info(String message) {
    err.println("intact: " + message);
    err.flush();
  }

  @Override
  public synchronized void warning(String message) {
    err.println("intact: warning: " + message);
    err.flush();
  }

  @Override
  public synchronized void phase(String name, long totalBytes) {
    started = true;
    if (!bars) {
      return;
    }
    finishBar();
    done.reset();
    bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(totalBytes)
            .setUnit(" MiB", 1 << 20)
            .showSpeed()
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setUpdateIntervalMillis((int) REFRESH_MILLIS)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
    if (drawer == null) {
      drawer = Thread.ofPlatform().daemon().name("intact-progress").start(this::draw);
    }
  }

  @Override
  public void progress(long bytes) {
    done.add(bytes);
  }

  private void draw() {
    try {
      while (true) {
        ProgressBar b = bar;
        if (b != null) {
          b.stepTo(done.sum());
        }
        // A fixed redraw rate: workers only add to a counter, so the terminal is written by this
        // one thread, and never more often than a person can read it.
        Thread.sleep(REFRESH_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void finishBar() {
    ProgressBar b = bar;
    if (b != null) {
      b.stepTo(done.sum());
      b.close();
      bar = null;
    }
  }

  @Override
  public synchronized void close() {
    if (drawer != null) {
      drawer.interrupt();
      try {
        drawer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    finishBar();
  }
}
