package dev.intact.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Progress lines on stderr (MiB done of total, percent, rate, ETA) for inputs that take long: a
 * line appears only after {@link #DELAY_MILLIS}, so quick sums print nothing. Workers report
 * through {@link Task#listener()}, a lock-free counter. One drawer thread per command, started with
 * the first input, waits out the delay, asks whether stderr is a terminal (and ends if not), then
 * redraws the current task: no thread and no system call per input, which made {@code -c} of a
 * million-line sum file slow.
 *
 * <p>The line is drawn by hand, in ASCII, at most {@link #WIDTH} columns: terminal libraries ask
 * the terminal's width by running {@code stty} (dozens of processes per sum), and a fixed width
 * that fits any terminal needs no question.
 */
public final class Progress {
  /** How long work may run before a bar appears; {@code -Dintact.progress.delay=0} for tests. */
  static final long DELAY_MILLIS = Long.getLong("intact.progress.delay", 500);

  /** Columns the line may take: fits the 80-column terminal, leaving the last column free. */
  static final int WIDTH = 79;

  private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final int BAR = 20;
  private static final int NAME = 20;
  private static final double MIB = 1 << 20;

  private final PrintStream err;
  private volatile Task current;
  private Thread drawer; // guarded by this
  private Boolean terminal; // guarded by this; asked once, and only when a sum lasts

  private Progress(PrintStream err) {
    this.err = err;
  }

  /** Progress on the process's stderr, drawn only if it is a terminal. */
  public static Progress onStderr() {
    return new Progress(System.err);
  }

  /** Work on one input of {@code total} bytes (-1 when unknown). */
  public Task start(String name, long total) {
    Task task = new Task(name, total);
    synchronized (this) {
      current = task;
      if (DELAY_MILLIS == 0 && isTerminal()) {
        task.draw(false);
      }
      if (drawer == null) {
        drawer = Thread.ofPlatform().daemon().name("intact-progress").start(this::drawLoop);
      }
    }
    return task;
  }

  /** Whether stderr is a terminal; the native call is made once, when first needed. */
  private boolean isTerminal() {
    if (terminal == null) {
      terminal = Terminals.isTerminal(Terminals.STDERR);
    }
    return terminal;
  }

  private void drawLoop() {
    long delay = TimeUnit.MILLISECONDS.toNanos(DELAY_MILLIS);
    // Nothing is drawn before the delay: ask isatty only then. A short command ends first and
    // never links that downcall (FFM linking is tens of milliseconds of CPU at start-up).
    LockSupport.parkNanos(delay);
    synchronized (this) {
      if (!isTerminal()) {
        return; // asked here, off the summing thread; nothing will ever be drawn
      }
    }
    while (true) {
      LockSupport.parkNanos(REFRESH_NANOS);
      Task task = current;
      if (task != null && System.nanoTime() - task.startNanos >= delay) {
        synchronized (this) {
          if (current == task) {
            task.draw(false);
          }
        }
      }
    }
  }

  /**
   * Runs {@code print} (a message for stderr) with the current line cleared first, so that a
   * message never lands in the middle of a frame; the next frame is drawn below it.
   */
  public synchronized void above(Runnable print) {
    Task task = current;
    if (task != null && task.drawn) {
      err.print('\r' + " ".repeat(WIDTH) + '\r');
      err.flush();
    }
    print.run();
  }

  /** One input's progress, or one job's, phase after phase. */
  public final class Task implements AutoCloseable {
    private final long startNanos = System.nanoTime();
    private final LongAdder done = new LongAdder();
    private volatile String name;
    private volatile long total;
    private volatile long phaseNanos = startNanos;
    private boolean drawn; // guarded by Progress.this

    private Task(String name, long total) {
      this.name = name;
      this.total = total;
    }

    public LongConsumer listener() {
      return done::add;
    }

    /**
     * A new phase of the same job ("verifying" after "sending"): the line drawn so far is finished
     * (so each phase leaves its last frame), and counting starts again at 0 of {@code total} bytes;
     * a phase with no bytes to count ({@code total} 0) shows its elapsed time.
     */
    public void phase(String phaseName, long phaseTotal) {
      synchronized (Progress.this) {
        if (drawn) {
          draw(true);
          drawn = false;
        }
        name = phaseName;
        total = phaseTotal;
        done.reset();
        phaseNanos = System.nanoTime();
        if (current == this && DELAY_MILLIS == 0 && isTerminal()) {
          draw(false);
        }
      }
    }

    /** The total, when it becomes known after the start. */
    public void total(long bytes) {
      total = bytes;
    }

    private void draw(boolean last) {
      err.print('\r' + line(name, done.sum(), total, System.nanoTime() - phaseNanos));
      if (last) {
        err.print('\n');
      }
      err.flush();
      drawn = true;
    }

    /** Finishes the line if one was drawn, before the result goes to stdout. */
    @Override
    public void close() {
      synchronized (Progress.this) {
        if (current == this) {
          current = null;
        }
        if (drawn) {
          draw(true);
          drawn = false;
        }
      }
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
    } else if (done == 0) {
      // Nothing counted (yet): a phase that waits on someone else, such as the daemon computing
      // its checksum. No "0 MiB 0.0 MiB/s" frame: the time it has taken so far.
      long s = (long) seconds;
      b.append(String.format(Locale.ROOT, " ... %d:%02d:%02d", s / 3600, s / 60 % 60, s % 60));
      return pad(b);
    } else {
      b.append(String.format(Locale.ROOT, " %d MiB", mib(done)));
    }
    b.append(String.format(Locale.ROOT, " %.1f MiB/s", rate));
    if (total > 0 && done < total && rate > 0) {
      long eta = (long) ((total - done) / MIB / rate);
      b.append(
          String.format(Locale.ROOT, " ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
    }
    return pad(b);
  }

  private static String pad(StringBuilder b) {
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
}
