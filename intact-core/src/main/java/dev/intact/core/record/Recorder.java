package dev.intact.core.record;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.FileVerdict.Status;
import dev.intact.core.record.TypeResult.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Records checksums of a file: every requested type in one read pass, then stored. A fresh record
 * that already exists is checked, not overwritten: a different value means the data changed without
 * its mtime (corruption), which is reported as a failure. A stale or malformed record is refreshed
 * only when {@code update} is asked for.
 */
public final class Recorder {
  private final RecordStore store;
  private final RecordStore errors;
  private final boolean update;

  /**
   * @param store where the records are read and written
   * @param errors where a mismatch is recorded (the file's attributes, even with a manifest)
   * @param update whether stale and malformed records are replaced
   */
  public Recorder(RecordStore store, RecordStore errors, boolean update) {
    this.store = store;
    this.errors = errors;
    this.update = update;
  }

  /** Records {@code types} for {@code file}; never throws for a problem of the file itself. */
  public FileVerdict record(Path file, List<ChecksumType> types, LongConsumer progress) {
    try {
      return recordFile(file, types, progress);
    } catch (IOException e) {
      return FileVerdict.error(file, RecordVerifier.message(file, e));
    }
  }

  private FileVerdict recordFile(Path file, List<ChecksumType> types, LongConsumer progress)
      throws IOException {
    FileStamp stamp = FileStamp.of(file);
    FileRecords existing = store.read(file);
    List<TypeResult> results = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<ChecksumType> toCompute = new ArrayList<>();
    for (ChecksumType t : types) {
      Optional<StoredRecord> old = existing.of(t);
      Optional<MalformedRecordException> broken = malformed(existing, t);
      if (!update && broken.isPresent()) {
        results.add(
            new TypeResult(
                t, Outcome.MALFORMED, null, null, broken.get().getMessage() + " (use --update)"));
      } else if (!update && old.isPresent() && old.get().isStaleFor(stamp)) {
        results.add(
            new TypeResult(
                t,
                Outcome.STALE,
                old.get().value(),
                null,
                old.get().staleReason(stamp) + " (use --update to refresh)"));
      } else {
        toCompute.add(t);
      }
    }
    List<Checksum> toWrite = new ArrayList<>();
    if (!toCompute.isEmpty()) {
      List<Checksum> values = StableRead.compute(file, stamp, toCompute, progress);
      for (Checksum c : values) {
        Optional<StoredRecord> old = existing.of(c.type());
        if (old.isPresent() && !old.get().isStaleFor(stamp) && !update) {
          boolean same = old.get().value().equals(c.value());
          results.add(
              new TypeResult(
                  c.type(),
                  same ? Outcome.OK : Outcome.FAILED,
                  old.get().value(),
                  c.value(),
                  old.get().where()));
        } else {
          toWrite.add(c);
          results.add(new TypeResult(c.type(), Outcome.RECORDED, null, c.value(), ""));
        }
      }
    }
    if (!toWrite.isEmpty()) {
      store.write(file, stamp, toWrite, Instant.now().getEpochSecond());
    }
    Status status = status(results);
    if (status == Status.FAILED) {
      RecordVerifier.recordError(errors, file, results, notes);
    }
    return new FileVerdict(file, status, results, notes);
  }

  private static Optional<MalformedRecordException> malformed(
      FileRecords existing, ChecksumType t) {
    String intact = IntactRecord.attributeName(t);
    String xrootd =
        XrootdNames.xrootdName(t).map(n -> XrdCksRecord.ATTRIBUTE_PREFIX + n).orElse(null);
    return existing.malformed().stream()
        .filter(m -> m.attribute().equals(intact) || m.attribute().equals(xrootd))
        .findFirst();
  }

  private static Status status(List<TypeResult> results) {
    if (results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED)) {
      return Status.FAILED;
    }
    if (results.stream().anyMatch(r -> r.outcome() == Outcome.MALFORMED)) {
      return Status.MALFORMED;
    }
    if (results.stream().anyMatch(r -> r.outcome() == Outcome.STALE)) {
      return Status.STALE;
    }
    return results.stream().anyMatch(r -> r.outcome() == Outcome.RECORDED)
        ? Status.RECORDED
        : Status.OK;
  }
}
