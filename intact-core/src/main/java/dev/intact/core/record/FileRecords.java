package dev.intact.core.record;

import dev.intact.core.checksum.ChecksumType;
import java.util.List;
import java.util.Optional;

/**
 * The records stored with one file: those that decode, and those that do not (each a reason). A
 * type may be recorded twice (as {@code user.XrdCks.adler32} by XRootD, say, and in a manifest);
 * every one is checked.
 */
public record FileRecords(List<StoredRecord> records, List<MalformedRecordException> malformed) {
  public FileRecords {
    records = List.copyOf(records);
    malformed = List.copyOf(malformed);
  }

  public static FileRecords none() {
    return new FileRecords(List.of(), List.of());
  }

  public boolean isEmpty() {
    return records.isEmpty() && malformed.isEmpty();
  }

  /** A record of this type, if any. */
  public Optional<StoredRecord> of(ChecksumType type) {
    return records.stream().filter(r -> r.type().equals(type)).findFirst();
  }
}
