package dev.intact.core.record;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.Posix;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Checksums of a regular file that did not change while it was read: the file is stamped before,
 * opened without following a link and without blocking (a fifo swapped in meanwhile must not hang
 * the run), checked to be the file stamped, read once, and stamped again. Any movement of size,
 * mtime, ctime or inode fails with {@link FileChangedException}: no value is returned, so nothing
 * is recorded or declared verified from a moving file.
 */
public final class StableRead {
  private static final boolean AARCH64 =
      System.getProperty("os.arch").toLowerCase(Locale.ROOT).matches("aarch64|arm64");

  /** O_NOFOLLOW: x86-64 0400000, AArch64 0100000 (asm-generic vs arm64 fcntl.h). */
  static final int O_NOFOLLOW = AARCH64 ? 0x8000 : 0x20000;

  /** O_NONBLOCK: the same on both. */
  static final int O_NONBLOCK = 0x800;

  private StableRead() {}

  /** Where the bytes read also go, in order, before they are hashed (a copy's destination). */
  @FunctionalInterface
  public interface Tee {
    void write(long position, byte[] buffer, int offset, int length) throws IOException;
  }

  /** The values of {@code types} for the file as {@code before} describes it. */
  public static List<Checksum> compute(
      Path file, FileStamp before, List<ChecksumType> types, LongConsumer progress)
      throws IOException {
    return compute(file, before, types, progress, (pos, buf, off, len) -> {});
  }

  /** The same, giving every chunk read to {@code tee} before it is hashed. */
  public static List<Checksum> compute(
      Path file, FileStamp before, List<ChecksumType> types, LongConsumer progress, Tee tee)
      throws IOException {
    List<Checksum> values;
    try (NativeFile f = open(file)) {
      NativeFile.Stat stat = f.stat();
      if (!stat.isRegularFile()) {
        throw new NotARegularFileException(file.toString(), "no longer a regular file");
      }
      if (stat.size() != before.size()) {
        throw new FileChangedException(
            file.toString(), "size " + before.size() + " became " + stat.size());
      }
      OnePassChecksums.Source source =
          (pos, dst, off, len) -> {
            f.readFully(pos, dst, off, len);
            tee.write(pos, dst, off, len);
          };
      values = OnePassChecksums.compute(file.toString(), source, before.size(), types, progress);
      byte[] probe = new byte[1];
      if (f.pread(before.size(), probe, 0, 1) != 0) {
        throw new FileChangedException(file.toString(), "it grew past " + before.size());
      }
    } catch (EOFException e) {
      throw new FileChangedException(file.toString(), "it shrank: " + e.getMessage());
    }
    FileStamp after = FileStamp.of(file);
    if (after.changedSince(before)) {
      throw new FileChangedException(file.toString(), describe(before, after));
    }
    return values;
  }

  /** Opens for reading, refusing a symbolic link and never waiting on a fifo. */
  public static NativeFile open(Path file) throws IOException {
    return Posix.open(file, Posix.O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
  }

  private static String describe(FileStamp before, FileStamp after) {
    if (after.inode() != before.inode()) {
      return "replaced by another file";
    }
    if (after.size() != before.size()) {
      return "size " + before.size() + " became " + after.size();
    }
    if (after.mtimeSeconds() != before.mtimeSeconds()
        || after.mtimeNanos() != before.mtimeNanos()) {
      return "mtime " + before.mtimeText() + " became " + after.mtimeText();
    }
    return "its ctime moved";
  }
}
