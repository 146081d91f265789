package dev.intact.cli.record;

import dev.intact.core.record.Manifest;
import dev.intact.core.record.RecordStore;
import dev.intact.core.record.XattrRecords;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a run reads and writes records, and records failures: the files' extended attributes, or
 * with {@code --manifest FILE} that file (each file's lines appended as it is done, the whole
 * compacted atomically at the end of the run or on Ctrl-C).
 */
record Stores(RecordStore records, Manifest manifest) {

  static Stores open(Path manifest) throws IOException {
    if (manifest == null) {
      return new Stores(new XattrRecords(), null);
    }
    Manifest m = Manifest.open(manifest);
    return new Stores(m, m);
  }

  /** Saves the manifest, if there is one. */
  void save() throws IOException {
    if (manifest != null) {
      manifest.save();
    }
  }

  /** The same from a shutdown hook: a failure is one line on {@code err}, never a trace. */
  void saveQuietly(java.io.PrintWriter err) {
    try {
      save();
    } catch (IOException e) {
      err.println("intact: the manifest was not compacted: " + e.getMessage());
      err.flush();
    }
  }
}
