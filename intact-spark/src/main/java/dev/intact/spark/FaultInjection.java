package dev.intact.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark.intact.failFirstAttempt=true}: every task throws at the end of its first attempt,
 * after its work (reads, record writes) is done, so Spark retries it (with {@code
 * spark.task.maxFailures} ≥ 2). Proves that a retried task changes no value and no record; off
 * unless asked for.
 */
final class FaultInjection {
  static final String KEY = "spark.intact.failFirstAttempt";

  private FaultInjection() {}

  /** Read from the session's runtime configuration, so a running application can turn it on. */
  static boolean enabled(SparkSession spark) {
    return Boolean.parseBoolean(spark.conf().get(KEY, "false"));
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
