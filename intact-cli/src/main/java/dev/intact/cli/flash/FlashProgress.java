package dev.intact.cli.flash;

import dev.intact.cli.Progress;
import dev.intact.core.flash.FlashListener;
import java.io.PrintWriter;
import java.util.function.LongConsumer;

/**
 * Tells the user how a flash goes: warnings and notes on stderr as they come, and, when stderr is a
 * terminal, the hand-drawn line {@code intact sum} uses, one per phase ("flash: writing", "flash:
 * verifying", "flash: rewriting"). No terminal library: nothing here starts a process.
 */
final class FlashProgress implements FlashListener, AutoCloseable {
  private final PrintWriter err;
  private final Progress progress;
  private Progress.Task task; // guarded by this
  private volatile LongConsumer counter = bytes -> {};
  private volatile boolean started;

  /** {@code bars}: whether to draw at all (the line is drawn only on a terminal anyway). */
  FlashProgress(PrintWriter err, boolean bars) {
    this.err = err;
    this.progress = bars ? Progress.onStderr() : null;
  }

  /** True once writing began: from then on the destination may be incomplete. */
  boolean started() {
    return started;
  }

  @Override
  public synchronized void info(String message) {
    say("intact: " + message);
  }

  @Override
  public synchronized void warning(String message) {
    say("intact: warning: " + message);
  }

  private void say(String line) {
    Runnable print =
        () -> {
          err.println(line);
          err.flush();
        };
    if (progress == null) {
      print.run();
    } else {
      progress.above(print);
    }
  }

  @Override
  public synchronized void phase(String name, long totalBytes) {
    started = true;
    if (progress == null) {
      return;
    }
    if (task == null) {
      task = progress.start(label(name), totalBytes);
    } else {
      task.phase(label(name), totalBytes);
    }
    counter = task.listener();
  }

  /** The phase as the line shows it: its name column holds 20 characters. */
  static String label(String phase) {
    return "flash: " + (phase.equals("writing and verifying") ? "write+verify" : phase);
  }

  @Override
  public void progress(long bytes) {
    counter.accept(bytes);
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.close();
    }
  }
}
