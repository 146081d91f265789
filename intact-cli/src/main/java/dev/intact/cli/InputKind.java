package dev.intact.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a named input is read: as an image (a regular file or a block device, whose size the kernel
 * knows, so holes can be skipped and ranges taken) or as a stream read to its end (a pipe, fifo,
 * character device, socket, or a regular file that reports size 0, as {@code /proc} files do).
 * Reading a size-0 file as a stream costs nothing when it really is empty.
 */
enum InputKind {
  IMAGE,
  STREAM;

  static final String STREAM_WHY =
      "is a stream (a pipe, character device or file whose size the kernel does not report)";

  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFDIR = 0040000;

  /**
   * The kind of {@code path} (links followed).
   *
   * @throws NoSuchFileException naming {@code name} if it does not exist
   * @throws FileSystemException "Is a directory" for a directory, as coreutils says
   */
  static InputKind of(Path path, String name) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(path, "unix:mode,size");
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(name, null, "No such file or directory");
    } catch (FileSystemException e) {
      throw new FileSystemException(name, null, e.getReason());
    }
    int type = (Integer) a.get("mode") & S_IFMT;
    return switch (type) {
      case S_IFDIR -> throw new FileSystemException(name, null, "Is a directory");
      case S_IFBLK -> IMAGE;
      case S_IFREG -> (Long) a.get("size") > 0 ? IMAGE : STREAM;
      default -> STREAM;
    };
  }
}
