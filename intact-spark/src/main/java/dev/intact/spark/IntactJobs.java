package dev.intact.spark;

import dev.intact.core.checksum.ChecksumType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The library API, for a user's own Spark application: the jobs of {@code intact-spark.jar} against
 * a session, their per-file results, and those results as a {@link Dataset} with the columns of
 * {@link ResultRow#SCHEMA} (path, size, mtime, algorithm, expected, actual, status, note). Paths
 * are local/POSIX paths every executor sees (a shared mount); {@code sum} also reads URIs of any
 * Hadoop filesystem ({@code hdfs://}, {@code s3a://}). The jobs need only a {@link SparkContext}
 * (no SQL session) except {@link #dataset}.
 *
 * <pre>{@code
 * List<FileSum> sums = IntactJobs.sum(spark, List.of("/mnt/images/disk.raw"),
 *     ChecksumType.parse("blkhash", OptionalLong.empty()), SumOptions.defaults());
 * Dataset<Row> failed = IntactJobs.dataset(spark, IntactJobs.rows(
 *     IntactJobs.verify(spark, List.of("/archive"), Set.of(), 0)))
 *     .filter("status <> 'OK'");
 * }</pre>
 */
public final class IntactJobs {
  private IntactJobs() {}

  /** The checksum of each input (a file, a block device, or every file under a directory). */
  public static List<FileSum> sum(
      SparkSession spark, List<String> inputs, ChecksumType type, SumOptions options)
      throws IOException {
    return sum(spark.sparkContext(), inputs, type, options);
  }

  /**
   * {@link #sum(SparkSession, List, ChecksumType, SumOptions)} on a bare context: no SQL session is
   * needed to sum.
   */
  public static List<FileSum> sum(
      SparkContext spark, List<String> inputs, ChecksumType type, SumOptions options)
      throws IOException {
    return new SumJob(spark, options).run(Inputs.expand(inputs, spark.hadoopConfiguration()), type);
  }

  /**
   * Records {@code types} on each file's extended attributes (XrdCks for the types XRootD knows),
   * as {@code intact record} does; a retried task writes the same bytes.
   *
   * @param bytesPerSecond the job's read rate, 0 for no limit
   */
  public static List<FileReport> record(
      SparkSession spark,
      List<String> inputs,
      List<ChecksumType> types,
      boolean update,
      long bytesPerSecond)
      throws IOException {
    return record(spark.sparkContext(), inputs, types, update, bytesPerSecond);
  }

  /**
   * {@link #record(SparkSession, List, List, boolean, long)} on a bare context.
   *
   * @throws IllegalArgumentException for an input on a non-local Hadoop filesystem
   */
  public static List<FileReport> record(
      SparkContext spark,
      List<String> inputs,
      List<ChecksumType> types,
      boolean update,
      long bytesPerSecond)
      throws IOException {
    RecordsJob.requireLocal(inputs, "record");
    return new RecordsJob(spark, bytesPerSecond)
        .record(Inputs.expand(inputs, spark.hadoopConfiguration()), types, update);
  }

  /** Verifies each file against its records, as {@code intact verify} does. */
  public static List<FileReport> verify(
      SparkSession spark, List<String> inputs, Set<ChecksumType> required, long bytesPerSecond)
      throws IOException {
    return verify(spark.sparkContext(), inputs, required, bytesPerSecond);
  }

  /**
   * {@link #verify(SparkSession, List, Set, long)} on a bare context.
   *
   * @throws IllegalArgumentException for an input on a non-local Hadoop filesystem
   */
  public static List<FileReport> verify(
      SparkContext spark, List<String> inputs, Set<ChecksumType> required, long bytesPerSecond)
      throws IOException {
    RecordsJob.requireLocal(inputs, "verify");
    return new RecordsJob(spark, bytesPerSecond)
        .verify(Inputs.expand(inputs, spark.hadoopConfiguration()), required);
  }

  /** The rows of sums. */
  public static List<ResultRow> sumRows(List<FileSum> sums) {
    return sums.stream().map(FileSum::row).toList();
  }

  /** The rows of reports. */
  public static List<ResultRow> rows(List<FileReport> reports) {
    List<ResultRow> rows = new ArrayList<>();
    reports.forEach(r -> rows.addAll(r.rows()));
    return rows;
  }

  /** Rows as a dataset. */
  public static Dataset<Row> dataset(SparkSession spark, List<ResultRow> rows) {
    return spark.createDataFrame(ResultRow.toRows(rows), ResultRow.SCHEMA);
  }
}
