package dev.intact.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.record.FileStamp;
import dev.intact.core.record.FileVerdict;
import dev.intact.core.record.TypeResult;
import dev.intact.core.record.TypeResult.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verdict as {@code intact record} and {@code intact verify} print it ({@code NAME: OK}, {@code
 * NAME: FAILED adler32 expected X actual Y}, JSON lines, reasons on stderr) and as rows.
 */
final class VerdictText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerdictText() {}

  static FileReport report(FileVerdict v) {
    List<String> err = new ArrayList<>();
    for (String note : v.notes()) {
      err.add("intact: " + note);
    }
    for (TypeResult r : v.results()) {
      if (r.outcome() == Outcome.STALE || r.outcome() == Outcome.MALFORMED) {
        err.add("intact: " + v.file() + ": " + r.type().name() + " " + r.note());
      }
    }
    String text = v.file() + ": " + v.status().label() + v.details();
    return new FileReport(v.file().toString(), v.status().name(), err, text, json(v), rows(v));
  }

  private static List<ResultRow> rows(FileVerdict v) {
    long size = -1;
    String mtime = "";
    try {
      FileStamp stamp = FileStamp.of(v.file());
      size = stamp.size();
      mtime = stamp.mtimeText();
    } catch (IOException e) {
      // An unreadable file's row says so through its status; size and mtime stay unknown.
    }
    String path = v.file().toString();
    List<ResultRow> rows = new ArrayList<>();
    if (v.results().isEmpty()) {
      rows.add(
          new ResultRow(
              path,
              size,
              mtime,
              null,
              null,
              null,
              v.status().name(),
              String.join("; ", v.notes())));
    }
    for (TypeResult r : v.results()) {
      rows.add(
          new ResultRow(
              path,
              size,
              mtime,
              r.type().name(),
              r.expected() == null ? null : r.expected().toHex(),
              r.actual() == null ? null : r.actual().toHex(),
              r.outcome().name(),
              r.note() == null || r.note().isEmpty() ? null : r.note()));
    }
    return rows;
  }

  private static String json(FileVerdict v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", v.file().toString());
    m.put("status", v.status().label());
    List<Map<String, Object>> checks = new ArrayList<>();
    for (TypeResult r : v.results()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("algorithm", r.type().name());
      c.put("outcome", r.outcome().name());
      c.put("expected", r.expected() == null ? null : r.expected().toHex());
      c.put("actual", r.actual() == null ? null : r.actual().toHex());
      c.put("note", r.note());
      checks.add(c);
    }
    m.put("checks", checks);
    m.put("notes", v.notes());
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON record: " + e.getOriginalMessage(), e);
    }
  }
}
