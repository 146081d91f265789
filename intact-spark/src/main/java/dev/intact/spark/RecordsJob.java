package dev.intact.spark;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.FileVerdict;
import dev.intact.core.record.RecordVerifier;
import dev.intact.core.record.Recorder;
import dev.intact.core.record.XattrRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code record} and {@code verify} as Spark jobs: the file list is made on the driver and cut into
 * contiguous slices; each task records or verifies its files, one after another, with the core's
 * {@link Recorder} and {@link RecordVerifier} on the files' own attributes, exactly as one machine
 * does. Only reports (a few hundred bytes a file) come back.
 */
final class RecordsJob {
  /** Files per task at most: small enough that a retried task redoes little. */
  static final int MAX_FILES_PER_TASK = 1000;

  private final SparkContext spark;
  private final long bytesPerSecond;

  /**
   * @param bytesPerSecond the whole job's read rate (shared evenly by the tasks that run at once),
   *     0 for no limit
   */
  RecordsJob(SparkContext spark, long bytesPerSecond) {
    this.spark = spark;
    this.bytesPerSecond = bytesPerSecond;
  }

  List<FileReport> record(List<String> files, List<ChecksumType> types, boolean update) {
    List<TypeSpec> specs = TypeSpec.of(types);
    long jobTime = System.currentTimeMillis() / 1000;
    long rate = taskRate();
    boolean inject = FaultInjection.enabled(spark);
    return run(
        files,
        part -> {
          boolean retry = TaskContext.get() != null && TaskContext.get().attemptNumber() > 0;
          JobStampedStore store = new JobStampedStore(new XattrRecords(), jobTime, retry);
          Recorder recorder = new Recorder(store, store, update);
          List<ChecksumType> t = TypeSpec.types(specs);
          RateLimiter limit = new RateLimiter(rate);
          List<FileReport> out = new ArrayList<>();
          for (String f : part) {
            out.add(VerdictText.report(recorder.record(Path.of(f), t, limit)));
          }
          FaultInjection.afterWork(inject);
          return out;
        });
  }

  List<FileReport> verify(List<String> files, Set<ChecksumType> required) {
    List<TypeSpec> specs = TypeSpec.of(new ArrayList<>(required));
    long rate = taskRate();
    boolean inject = FaultInjection.enabled(spark);
    return run(
        files,
        part -> {
          XattrRecords store = new XattrRecords();
          RecordVerifier verifier =
              new RecordVerifier(store, store, new LinkedHashSet<>(TypeSpec.types(specs)));
          RateLimiter limit = new RateLimiter(rate);
          List<FileReport> out = new ArrayList<>();
          for (String f : part) {
            FileVerdict v = verifier.verify(Path.of(f), limit);
            out.add(VerdictText.report(v));
          }
          FaultInjection.afterWork(inject);
          return out;
        });
  }

  /**
   * Refuses inputs on a non-local Hadoop filesystem: records are the extended attributes {@code
   * intact record} and XRootD keep on local/POSIX files, and this job reads and writes them with
   * the core's native calls.
   *
   * @throws IllegalArgumentException naming the first such input
   */
  static void requireLocal(List<String> inputs, String command) {
    for (String input : inputs) {
      if (!Locations.isLocal(input)) {
        throw new NotLocalException(
            input
                + ": "
                + command
                + " reads and writes records in the extended attributes of local/POSIX files;"
                + " give a path where the filesystem is mounted (sum reads this URI directly)");
      }
    }
  }

  private long taskRate() {
    int parallel = spark.defaultParallelism();
    return bytesPerSecond <= 0 ? 0 : Math.max(1, bytesPerSecond / Math.max(1, parallel));
  }

  /** What a task does with its slice of files. */
  interface SliceWork
      extends org.apache.spark.api.java.function.Function<List<String>, List<FileReport>> {}

  private List<FileReport> run(List<String> files, SliceWork work) {
    if (files.isEmpty()) {
      return List.of();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark);
    int slices =
        Math.min(
            files.size(),
            Math.max(jsc.defaultParallelism() * 2, Math.ceilDiv(files.size(), MAX_FILES_PER_TASK)));
    List<List<String>> parts = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      int from = (int) ((long) files.size() * i / slices);
      int to = (int) ((long) files.size() * (i + 1) / slices);
      parts.add(new ArrayList<>(files.subList(from, to)));
    }
    List<List<FileReport>> done = jsc.parallelize(parts, slices).map(work).collect();
    List<FileReport> reports = new ArrayList<>(files.size());
    done.forEach(reports::addAll);
    return reports;
  }
}
