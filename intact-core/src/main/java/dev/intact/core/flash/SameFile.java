package dev.intact.core.flash;

import dev.intact.core.posix.BeneathOpen;
import dev.intact.core.posix.FileId;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.Posix;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells whether a flash's source and destination are one thing, by what the kernel says of the
 * files opened, never by their names: a symbolic link, a hard link, {@code /proc/self/fd/N} or a
 * second device node all lead to the same device and inode numbers (or device number, for two nodes
 * of one block device), and a loop device names the inode it reads.
 */
final class SameFile {
  private SameFile() {}

  /** What {@code path} is, as far as this check needs; empty if it cannot be opened. */
  record Identity(NativeFile.Stat stat, Optional<FileId> loopBacking) {}

  /**
   * Opens {@code path} read-only without blocking (a fifo source must not hang the check), fstats
   * it and, for a block device, asks which file a loop device reads; empty when it cannot be opened
   * (the flash itself then fails naming the reason).
   */
  static Optional<Identity> of(Path path) {
    try (NativeFile f = Posix.open(path, Posix.O_RDONLY | BeneathOpen.O_NONBLOCK, 0)) {
      return Optional.of(of(f));
    } catch (NativeIoException e) {
      return Optional.empty();
    }
  }

  static Identity of(NativeFile file) throws NativeIoException {
    NativeFile.Stat stat = file.stat();
    return new Identity(
        stat, stat.isBlockDevice() ? file.loopBackingFile() : Optional.<FileId>empty());
  }

  /**
   * @throws SameFileException if {@code source} and {@code destination} are one file or device, or
   *     either is a loop device reading the other
   */
  static void refuse(Identity source, String sourceName, Identity destination, String destName)
      throws SameFileException {
    NativeFile.Stat s = source.stat();
    NativeFile.Stat d = destination.stat();
    if (s.id().equals(d.id()) || (s.isBlockDevice() && d.isBlockDevice() && s.rdev() == d.rdev())) {
      throw new SameFileException(sourceName, destName, "they are the same file");
    }
    if (destination.loopBacking().filter(s.id()::equals).isPresent()) {
      throw new SameFileException(
          sourceName, destName, destName + " is a loop device backed by " + sourceName);
    }
    if (source.loopBacking().filter(d.id()::equals).isPresent()) {
      throw new SameFileException(
          sourceName, destName, sourceName + " is a loop device backed by " + destName);
    }
  }
}
