package dev.intact.core.record;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.FileVerdict.Status;
import dev.intact.core.record.TypeResult.Outcome;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Verifies a file against its records: every type recorded for the file as it is now is recomputed,
 * all in one read pass, and compared. Stale records are never trusted nor recomputed; a required
 * type without a fresh record is a failure. A mismatch is written on the file ({@link
 * XattrRecords#ERROR_ATTRIBUTE}: time, algorithm, expected, actual), as CTA records {@code
 * sys.archive.error}.
 */
public final class RecordVerifier {
  private final RecordStore store;
  private final RecordStore errors;
  private final Set<ChecksumType> required;

  /**
   * @param store where the records are read
   * @param errors where mismatches are recorded (the file's attributes, even with a manifest)
   * @param required types that must have a fresh record
   */
  public RecordVerifier(RecordStore store, RecordStore errors, Set<ChecksumType> required) {
    this.store = store;
    this.errors = errors;
    this.required = Set.copyOf(required);
  }

  /** The verdict on {@code file}; never throws for a problem of the file itself. */
  public FileVerdict verify(Path file, LongConsumer progress) {
    try {
      return check(file, progress);
    } catch (IOException e) {
      return FileVerdict.error(file, message(file, e));
    }
  }

  private FileVerdict check(Path file, LongConsumer progress) throws IOException {
    FileStamp stamp = FileStamp.of(file);
    FileRecords records = store.read(file);
    List<TypeResult> results = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    records.malformed().forEach(m -> notes.add(file + ": " + m.getMessage()));
    Set<ChecksumType> toCompute = new LinkedHashSet<>();
    List<StoredRecord> fresh = new ArrayList<>();
    for (StoredRecord r : records.records()) {
      String stale = r.staleReason(stamp);
      if (stale != null) {
        results.add(new TypeResult(r.type(), Outcome.STALE, r.value(), null, stale));
      } else {
        fresh.add(r);
        toCompute.add(r.type());
      }
    }
    for (ChecksumType t : required) {
      if (!toCompute.contains(t)) {
        results.add(new TypeResult(t, Outcome.MISSING, null, null, "no fresh record"));
      }
    }
    if (!toCompute.isEmpty()) {
      List<Checksum> values = StableRead.compute(file, stamp, List.copyOf(toCompute), progress);
      for (StoredRecord r : fresh) {
        Checksum actual =
            values.stream().filter(c -> c.type().equals(r.type())).findFirst().orElseThrow();
        boolean ok = actual.value().equals(r.value());
        results.add(
            new TypeResult(
                r.type(), ok ? Outcome.OK : Outcome.FAILED, r.value(), actual.value(), r.where()));
      }
    }
    Status status = status(results, records);
    if (has(results, Outcome.FAILED)) {
      recordError(errors, file, results, notes);
    }
    return new FileVerdict(file, status, results, notes);
  }

  private static Status status(List<TypeResult> results, FileRecords records) {
    if (has(results, Outcome.FAILED) || has(results, Outcome.MISSING)) {
      return Status.FAILED;
    }
    if (!records.malformed().isEmpty()) {
      return Status.MALFORMED;
    }
    if (has(results, Outcome.STALE)) {
      return Status.STALE;
    }
    return has(results, Outcome.OK) ? Status.OK : Status.NO_RECORD;
  }

  private static boolean has(List<TypeResult> results, Outcome outcome) {
    return results.stream().anyMatch(r -> r.outcome() == outcome);
  }

  /** Writes the failed types of {@code results} on the file; a failure to do so becomes a note. */
  static void recordError(
      RecordStore errors, Path file, List<TypeResult> results, List<String> notes) {
    StringBuilder text = new StringBuilder(Instant.now().toString());
    for (TypeResult r : results) {
      if (r.outcome() == Outcome.FAILED) {
        text.append(' ')
            .append(r.type().name())
            .append(" expected=")
            .append(r.expected().toHex())
            .append(" actual=")
            .append(r.actual().toHex());
      }
    }
    try {
      errors.recordError(file, text.toString());
    } catch (IOException e) {
      notes.add("could not record the failure on the file: " + message(file, e));
    }
  }

  /** One line for a failure, starting with the file unless the exception already names it. */
  static String message(Path file, IOException e) {
    String m =
        switch (e) {
          case NoSuchFileException x -> file + ": No such file or directory";
          case AccessDeniedException x -> file + ": Permission denied";
          case FileSystemException x when x.getReason() != null -> file + ": " + x.getReason();
          default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    return m.startsWith(file.toString()) ? m : file + ": " + m;
  }
}
