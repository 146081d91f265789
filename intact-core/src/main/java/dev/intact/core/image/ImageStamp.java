package dev.intact.core.image;

import dev.intact.core.posix.BeneathOpen;
import dev.intact.core.posix.FileId;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a file was at one moment: which inode, its size, and when its data and its inode last
 * changed. Taken before and after a file is read, two stamps that differ mean the bytes read may
 * mix two versions of it (what tar calls "file changed as we read it"); any write moves the
 * modification time, a {@code touch -m} back in time still moves the change time.
 */
public record ImageStamp(FileId id, long size, long mtimeNanos, long ctimeNanos) {
  public static ImageStamp of(NativeFile.Stat stat) {
    return new ImageStamp(stat.id(), stat.size(), stat.mtimeNanos(), stat.ctimeNanos());
  }

  /** The stamp of the file {@code path} leads to now (following symbolic links). */
  public static ImageStamp of(Path path) throws IOException {
    try (NativeFile f = Posix.open(path, BeneathOpen.O_PATH, 0)) {
      return of(f.stat());
    }
  }

  /** What differs in {@code later} (for a message), or empty if nothing does. */
  public Optional<String> changesIn(ImageStamp later) {
    List<String> what = new ArrayList<>();
    if (!id.equals(later.id)) {
      what.add("replaced by another file");
    }
    if (size != later.size) {
      what.add("size " + size + " -> " + later.size);
    }
    if (mtimeNanos != later.mtimeNanos) {
      what.add("modified");
    } else if (ctimeNanos != later.ctimeNanos) {
      what.add("inode changed");
    }
    return what.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", what));
  }
}
