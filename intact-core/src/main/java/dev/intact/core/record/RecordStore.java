package dev.intact.core.record;

import dev.intact.core.checksum.Checksum;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a file's checksum records are kept: its extended attributes ({@link XattrRecords}) or a
 * manifest file beside the data ({@link Manifest}), for file systems without user attributes.
 */
public interface RecordStore {

  /** The records of {@code file}; none is an empty result, not an error. */
  FileRecords read(Path file) throws IOException;

  /**
   * Stores {@code values} as the records of {@code file}, made for {@code stamp} and computed at
   * {@code computedAt} (seconds since the epoch). Other types' records are left as they are.
   */
  void write(Path file, FileStamp stamp, List<Checksum> values, long computedAt) throws IOException;

  /** Records a failed check on the file ({@code user.intact.error}): when, what, which values. */
  void recordError(Path file, String text) throws IOException;
}
