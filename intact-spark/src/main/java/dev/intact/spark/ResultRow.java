package dev.intact.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of a job's results dataset: one checksum type of one file. {@code expected} is the
 * recorded value (null for sum, or when there was none), {@code actual} the value computed now
 * (null when none was), {@code status} the outcome ({@code OK}, {@code RECORDED}, {@code FAILED},
 * {@code STALE}, {@code MISSING}, {@code MALFORMED}, {@code ERROR}, or {@code SKIPPED} for a file a
 * finished run already verified), {@code note} why, when there is a reason to give.
 *
 * @param size the file's size in bytes (-1 if it could not be read)
 * @param mtime the file's mtime as {@code SECONDS.NANOS} (empty if it could not be read)
 */
public record ResultRow(
    String path,
    long size,
    String mtime,
    String algorithm,
    String expected,
    String actual,
    String status,
    String note)
    implements Serializable {

  /** The dataset's columns, in order. */
  public static final StructType SCHEMA =
      new StructType()
          .add("path", DataTypes.StringType, false)
          .add("size", DataTypes.LongType, false)
          .add("mtime", DataTypes.StringType, false)
          .add("algorithm", DataTypes.StringType, true)
          .add("expected", DataTypes.StringType, true)
          .add("actual", DataTypes.StringType, true)
          .add("status", DataTypes.StringType, false)
          .add("note", DataTypes.StringType, true);

  public Row toRow() {
    return RowFactory.create(path, size, mtime, algorithm, expected, actual, status, note);
  }

  public static ResultRow of(Row row) {
    return new ResultRow(
        row.getString(0),
        row.getLong(1),
        row.getString(2),
        row.getString(3),
        row.getString(4),
        row.getString(5),
        row.getString(6),
        row.getString(7));
  }

  static List<Row> toRows(List<ResultRow> rows) {
    return rows.stream().map(ResultRow::toRow).toList();
  }
}
