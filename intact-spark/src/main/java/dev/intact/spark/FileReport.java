package dev.intact.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What a record or verify task sends back for one file: its status, the lines {@code intact
 * record/verify} would print for it (made on the executor, printed in order on the driver) and its
 * rows of the results dataset.
 *
 * @param status a {@link dev.intact.core.record.FileVerdict.Status} name, or {@code SKIPPED}
 */
public record FileReport(
    String path,
    String status,
    List<String> errLines,
    String textLine,
    String jsonLine,
    List<ResultRow> rows)
    implements Serializable {

  public FileReport {
    errLines = List.copyOf(errLines);
    rows = List.copyOf(rows);
  }
}
