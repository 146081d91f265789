package dev.intact.cli.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.record.FileVerdict;
import dev.intact.core.record.FileVerdict.Status;
import dev.intact.core.record.TypeResult;
import dev.intact.core.record.TypeResult.Outcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Prints verdicts as coreutils-like lines ({@code NAME: OK}, {@code NAME: FAILED adler32 expected X
 * actual Y}, {@code NAME: STALE}, {@code NAME: NO RECORD}) or JSON lines, the reasons on stderr,
 * and counts them for the summary. Not thread-safe: verdicts arrive in order on one thread.
 */
final class VerdictPrinter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final boolean quiet;
  private final Map<Status, Integer> counts = new EnumMap<>(Status.class);

  VerdictPrinter(PrintWriter out, PrintWriter err, boolean json, boolean quiet) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.quiet = quiet;
  }

  void print(FileVerdict v) {
    counts.merge(v.status(), 1, Integer::sum);
    for (String note : v.notes()) {
      err.println("intact: " + note);
    }
    for (TypeResult r : v.results()) {
      if (r.outcome() == Outcome.STALE || r.outcome() == Outcome.MALFORMED) {
        err.println("intact: " + v.file() + ": " + r.type().name() + " " + r.note());
      }
    }
    if (json) {
      out.println(json(v));
    } else if (!(quiet && (v.status() == Status.OK || v.status() == Status.RECORDED))) {
      out.println(v.file() + ": " + v.status().label() + v.details());
    }
    out.flush();
    err.flush();
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

  /** Whether any verdict must make the run exit non-zero. */
  boolean anyFailure() {
    return counts.keySet().stream().anyMatch(Status::isFailure);
  }

  /** {@code 3 files: 2 OK, 1 FAILED}. */
  String summary() {
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    StringJoiner j = new StringJoiner(", ", total + (total == 1 ? " file: " : " files: "), "");
    counts.forEach((s, n) -> j.add(n + " " + s.label()));
    return j.toString();
  }

  Map<Status, Integer> counts() {
    return Map.copyOf(counts);
  }
}
