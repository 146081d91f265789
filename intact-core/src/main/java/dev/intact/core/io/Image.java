package dev.intact.core.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Random read access to the guest-visible bytes of a disk image (a file, a block device, an NBD
 * export), with its allocation map. Implementations are safe for concurrent positional reads.
 */
public interface Image extends Closeable {

  /** Name for messages: a path, a device, or an NBD URI. */
  String name();

  /** Size in bytes. */
  long size() throws IOException;

  /**
   * Reads exactly {@code length} bytes at {@code position} into {@code dst}.
   *
   * @throws java.io.EOFException if the image ends first
   */
  void readFully(long position, byte[] dst, int offset, int length) throws IOException;

  /**
   * The extent that starts at {@code position}, clipped to {@code end}: either data, or a run that
   * is known to read as zeros (a hole, an unallocated or zero extent) and costs nothing to read. An
   * image that knows nothing of its allocation returns a single data extent.
   */
  Extent extentAt(long position, long end) throws IOException;
}
