package dev.intact.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One embedded Spark for every test class of the JVM: {@code local[2,2]}, two cores and two
 * attempts per task (local mode retries a failed task only when asked to).
 */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2,2]")
              .appName("intact-spark tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              .getOrCreate();
      session.sparkContext().setLogLevel("ERROR");
    }
    return session;
  }

  /** What a job-jar command printed and its exit status. */
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        IntactSpark.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            () -> get().sparkContext());
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code body} with every task failing once after its work (then retried). */
  static <T> T withFailingFirstAttempts(java.util.function.Supplier<T> body) {
    SparkContext spark = get().sparkContext();
    spark.setLocalProperty(FaultInjection.KEY, "true");
    try {
      return body.get();
    } finally {
      spark.setLocalProperty(FaultInjection.KEY, null);
    }
  }
}
