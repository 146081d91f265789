package dev.intact.spark;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.posix.Xattrs;
import dev.intact.core.record.FileRecords;
import dev.intact.core.record.FileStamp;
import dev.intact.core.record.IntactRecord;
import dev.intact.core.record.MalformedRecordException;
import dev.intact.core.record.RecordStore;
import dev.intact.core.record.StoredRecord;
import dev.intact.core.record.XrdCksRecord;
import dev.intact.core.record.XrootdNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a record job's writes idempotent. Every record is stamped with the job's start time, not
 * the moment a task wrote it, so a retried task writes the same bytes the failed attempt did. A
 * retry ({@code retry}) also does not see the records its own job already wrote (those stamped with
 * the job's time) as pre-existing: it recomputes and reports them RECORDED, exactly as a run
 * without the failure does, instead of OK.
 */
final class JobStampedStore implements RecordStore {
  private final RecordStore store;
  private final long jobTime;
  private final boolean retry;

  JobStampedStore(RecordStore store, long jobTime, boolean retry) {
    this.store = store;
    this.jobTime = jobTime;
    this.retry = retry;
  }

  @Override
  public FileRecords read(Path file) throws IOException {
    FileRecords records = store.read(file);
    if (!retry) {
      return records;
    }
    List<StoredRecord> kept = new ArrayList<>();
    for (StoredRecord r : records.records()) {
      if (!writtenByThisJob(file, r)) {
        kept.add(r);
      }
    }
    return new FileRecords(kept, records.malformed());
  }

  private boolean writtenByThisJob(Path file, StoredRecord r) throws IOException {
    Xattrs.Target target = new Xattrs.OnPath(file);
    try {
      return switch (r.origin()) {
        case INTACT -> {
          String name = IntactRecord.attributeName(r.type());
          Optional<byte[]> raw = Xattrs.get(target, name);
          yield raw.isPresent() && IntactRecord.decode(name, raw.get()).computed() == jobTime;
        }
        case XROOTD -> {
          Optional<String> name = XrootdNames.xrootdName(r.type());
          Optional<byte[]> raw =
              name.isEmpty()
                  ? Optional.empty()
                  : Xattrs.get(target, XrdCksRecord.ATTRIBUTE_PREFIX + name.get());
          if (raw.isEmpty()) {
            yield false;
          }
          XrdCksRecord x = XrdCksRecord.decode(name.get(), raw.get());
          yield x.fmTime() + x.csTime() == jobTime;
        }
        case MANIFEST -> false;
      };
    } catch (MalformedRecordException e) {
      return false; // the store reported it already; not this job's
    }
  }

  @Override
  public void write(Path file, FileStamp stamp, List<Checksum> values, long computedAt)
      throws IOException {
    store.write(file, stamp, values, jobTime);
  }

  @Override
  public void recordError(Path file, String text) throws IOException {
    store.recordError(file, text);
  }
}
