package dev.intact.core.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * What identifies one version of a file's content without reading it: size, modification time
 * (seconds and nanoseconds), and — to notice a change while the file is being read — the change
 * time and inode. A record is made for a size and mtime; ctime moves also when attributes are
 * written, so it is compared only across a single read.
 */
public record FileStamp(long size, long mtimeSeconds, int mtimeNanos, long ctimeNanos, long inode) {

  /**
   * The stamp of the regular file at {@code path} (a symbolic link is not followed).
   *
   * @throws NotARegularFileException if it is a directory, link, fifo, device...
   */
  public static FileStamp of(Path path) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(
            path, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    if ((mode & 0170000) != 0100000) {
      throw new NotARegularFileException(path.toString(), kind(mode));
    }
    Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
    Instant ctime = ((FileTime) a.get("ctime")).toInstant();
    return new FileStamp(
        (Long) a.get("size"),
        mtime.getEpochSecond(),
        mtime.getNano(),
        ctime.getEpochSecond() * 1_000_000_000L + ctime.getNano(),
        (Long) a.get("ino"));
  }

  /** Whether the content may have changed between the two stamps (same file read twice). */
  public boolean changedSince(FileStamp before) {
    return size != before.size
        || mtimeSeconds != before.mtimeSeconds
        || mtimeNanos != before.mtimeNanos
        || ctimeNanos != before.ctimeNanos
        || inode != before.inode;
  }

  /** The mtime as {@code SECONDS.NANOS}, as manifests and messages print it. */
  public String mtimeText() {
    return mtimeSeconds + "." + String.format("%09d", mtimeNanos);
  }

  private static String kind(int mode) {
    return switch (mode & 0170000) {
      case 0040000 -> "a directory";
      case 0120000 -> "a symbolic link";
      case 0010000 -> "a fifo";
      case 0140000 -> "a socket";
      case 0060000 -> "a block device";
      case 0020000 -> "a character device";
      default -> "not a regular file";
    };
  }
}
