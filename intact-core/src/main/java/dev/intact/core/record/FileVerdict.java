package dev.intact.core.record;

import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/**
 * The verdict on one file: its status, the result of each type, and the problems met (a record that
 * could not be decoded, the error attribute that could not be written...).
 */
public record FileVerdict(Path file, Status status, List<TypeResult> results, List<String> notes) {

  public FileVerdict {
    results = List.copyOf(results);
    notes = List.copyOf(notes);
  }

  /** A file's status, in the order a tree's summary counts them. */
  public enum Status {
    OK("OK"),
    RECORDED("RECORDED"),
    STALE("STALE"),
    NO_RECORD("NO RECORD"),
    MALFORMED("BAD RECORD"),
    FAILED("FAILED"),
    ERROR("ERROR");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    /** As printed after the file name: {@code NO RECORD}. */
    public String label() {
      return label;
    }

    /** Whether the run must exit non-zero for it. */
    public boolean isFailure() {
      return this == STALE || this == MALFORMED || this == FAILED || this == ERROR;
    }
  }

  /** A file that could not be checked at all (unreadable, not a regular file, changed). */
  public static FileVerdict error(Path file, String message) {
    return new FileVerdict(file, Status.ERROR, List.of(), List.of(message));
  }

  /**
   * What follows {@code NAME: STATUS} on the verdict's line ({@code adler32 expected X actual Y},
   * {@code crc32c has no record}, {@code sha256=V} for new records), empty when nothing does: the
   * one wording of {@code intact record/verify} and the Spark jobs.
   */
  public String details() {
    StringJoiner j = new StringJoiner(", ", " ", "").setEmptyValue("");
    for (TypeResult r : results) {
      switch (r.outcome()) {
        case FAILED ->
            j.add(
                r.type().name()
                    + " expected "
                    + r.expected().toHex()
                    + " actual "
                    + r.actual().toHex());
        case MISSING -> j.add(r.type().name() + " has no record");
        case RECORDED -> {
          if (status == Status.RECORDED) {
            j.add(r.type().name() + "=" + r.actual().toHex());
          }
        }
        default -> {}
      }
    }
    return j.toString();
  }
}
