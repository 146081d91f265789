package dev.intact.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A job's output directory (any Hadoop filesystem): {@code results.parquet/} and {@code
 * results.jsonl/} (the dataset, written by Spark), then {@code summary.json}, written last and
 * removed first, so a directory without it never looks like a finished run.
 */
final class ResultStore {
  static final String PARQUET = "results.parquet";
  static final String JSONL = "results.jsonl";
  static final String SUMMARY = "summary.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final Path dir;

  ResultStore(SparkSession spark, String dir) {
    this.spark = spark;
    this.dir = new Path(dir);
  }

  private FileSystem fs() throws IOException {
    return dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }

  /**
   * The files a finished run found OK (or skipped as OK before), with the size and mtime they had:
   * empty when there is no finished run here.
   */
  Map<String, String> verifiedBefore() throws IOException {
    Map<String, String> verified = new HashMap<>();
    if (!fs().exists(new Path(dir, SUMMARY)) || !complete()) {
      return verified;
    }
    Map<String, Boolean> allOk = new HashMap<>();
    for (Row r :
        spark
            .read()
            .schema(ResultRow.SCHEMA)
            .parquet(new Path(dir, PARQUET).toString())
            .collectAsList()) {
      ResultRow row = ResultRow.of(r);
      boolean ok = row.status().equals("OK") || row.status().equals("SKIPPED");
      allOk.merge(row.path(), ok, Boolean::logicalAnd);
      verified.put(row.path(), row.size() + "@" + row.mtime());
    }
    allOk.forEach(
        (path, ok) -> {
          if (!ok) {
            verified.remove(path);
          }
        });
    return verified;
  }

  private boolean complete() throws IOException {
    try (InputStream in = fs().open(new Path(dir, SUMMARY))) {
      JsonNode summary = JSON.readTree(in);
      return summary.path("complete").asBoolean(false);
    }
  }

  /** Replaces what the directory holds with these results and this summary. */
  void write(List<ResultRow> rows, Map<String, Object> summary) throws IOException {
    FileSystem fs = fs();
    fs.delete(new Path(dir, SUMMARY), false);
    var data = IntactJobs.dataset(spark, rows).coalesce(Math.max(1, rows.size() / 100_000));
    data.write().mode(SaveMode.Overwrite).parquet(new Path(dir, PARQUET).toString());
    data.write()
        .mode(SaveMode.Overwrite)
        .option("ignoreNullFields", "false")
        .json(new Path(dir, JSONL).toString());
    try (OutputStream out = fs.create(new Path(dir, SUMMARY), true)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, summary);
    }
  }
}
