package dev.intact.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;

/**
 * {@code spark.intact.failFirstAttempt=true}: every task throws at the end of its first attempt,
 * after its work (reads, record writes) is done, so Spark retries it (with {@code
 * spark.task.maxFailures} ≥ 2). Proves that a retried task changes no value and no record; off
 * unless asked for.
 */
final class FaultInjection {
  static final String KEY = "spark.intact.failFirstAttempt";

  private FaultInjection() {}

  /**
   * On when the application's conf ({@code --conf}) or the calling thread's local property ({@link
   * SparkContext#setLocalProperty}, how a running application turns it on for its next jobs) says
   * so.
   */
  static boolean enabled(SparkContext spark) {
    String local = spark.getLocalProperty(KEY);
    return Boolean.parseBoolean(local != null ? local : spark.getConf().get(KEY, "false"));
  }

  static void afterWork(boolean enabled) {
    TaskContext task = TaskContext.get();
    if (enabled && task != null && task.attemptNumber() == 0) {
      throw new InjectedFailureException(task.partitionId());
    }
  }

  /** The failure {@link #afterWork} injects. */
  static final class InjectedFailureException extends RuntimeException {
    InjectedFailureException(int partition) {
      super("injected failure of partition " + partition + "'s first attempt (" + KEY + ")");
    }
  }
}
