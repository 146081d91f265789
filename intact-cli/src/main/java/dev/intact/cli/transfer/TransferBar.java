package dev.intact.cli.transfer;

import dev.intact.cli.Progress;
import dev.intact.client.TransferProgress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transfer's progress on the hand-drawn line {@code intact sum} uses (no terminal library, so no
 * {@code stty} process): one frame per phase, "upload: sending", then "upload: verifying" while the
 * daemon checksums its storage, "upload: repairing" if blocks are resent. Nothing is drawn before
 * the total is known, so no {@code 0/0} frame.
 */
final class TransferBar implements TransferProgress, AutoCloseable {
  private final String verb;
  private final Progress.Task task;
  private final AtomicLong counted = new AtomicLong();
  private volatile long total = -1;

  private TransferBar(String verb, Progress.Task task) {
    this.verb = verb;
    this.task = task;
  }

  /** A bar on stderr (drawn only if it is a terminal), or none at all. */
  static TransferBar start(String verb, boolean wanted) {
    return new TransferBar(
        verb, wanted ? Progress.onStderr().start(verb + ": connecting", 0) : null);
  }

  @Override
  public void phase(Phase phase) {
    if (task != null) {
      counted.set(0);
      long bytes = phase == Phase.VERIFYING ? 0 : Math.max(total, 0);
      task.phase(verb + ": " + phase.name().toLowerCase(Locale.ROOT), bytes);
    }
  }

  @Override
  public void update(long done, long total) {
    if (task == null) {
      return;
    }
    if (this.total != total) {
      this.total = total;
      task.total(total);
    }
    // Workers report running totals out of order: count only what goes beyond the largest seen.
    long before = counted.getAndAccumulate(done, Math::max);
    if (done > before) {
      task.listener().accept(done - before);
    }
  }

  @Override
  public void close() {
    if (task != null) {
      task.close();
    }
  }
}
