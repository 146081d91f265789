package dev.intact.cli.record;

import dev.intact.core.record.Manifest;
import dev.intact.core.record.RecordStore;
import dev.intact.core.record.XattrRecords;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a run reads and writes records, and records failures: the files' extended attributes, or
 * with {@code --manifest FILE} that file (saved once, atomically, at the end of the run).
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
}
