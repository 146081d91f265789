package dev.intact.core.image;

import java.nio.file.FileSystemException;

/**
 * The file is not an image: it has no size to read up to. A pipe, fifo, character device or socket
 * (the kernel's size is 0 or meaningless), or a file a pseudo file system ({@code /proc}, {@code
 * /sys}) generates as it is read and reports as size 0. Such input can only be read as a stream to
 * its end, as {@code intact sum} and {@code sha256sum} do; treating it as an empty image would
 * print a size or a checksum of nothing.
 */
public final class UnsizedFileException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  public UnsizedFileException(String file, String what) {
    super(file, null, what + ", so it has no size to read as an image (only as a stream)");
  }
}
