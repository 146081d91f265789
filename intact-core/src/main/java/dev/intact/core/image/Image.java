package dev.intact.core.image;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

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
   * Reads exactly {@code dst.byteSize()} bytes at {@code position} into {@code dst}, typically
   * native memory that a socket then sends without another copy (the NBD server's replies). This
   * default reads through {@link #readFully(long, byte[], int, int)} in pieces of at most 1 MiB and
   * copies them, so a wrapper that overrides that read is never bypassed; a local file overrides it
   * to read into the segment itself.
   *
   * @throws java.io.EOFException if the image ends first
   */
  default void readFully(long position, MemorySegment dst) throws IOException {
    ArrayPieces.read(position, dst, this::readFully);
  }

  /**
   * Starts {@link #readFully} and returns what to wait on. An image whose reads are requests to a
   * server (NBD) sends them and returns at once, so a reader that starts its next reads before it
   * hashes the last keeps the server busy instead of paying a round trip per read; it says so with
   * {@link #pipelinesReads}. Others read before returning.
   */
  default PendingRead startRead(long position, byte[] dst, int offset, int length)
      throws IOException {
    readFully(position, dst, offset, length);
    return PendingRead.DONE;
  }

  /**
   * Whether {@link #startRead} returns before the bytes are in (several reads can be in flight).
   */
  default boolean pipelinesReads() {
    return false;
  }

  /**
   * The extent that starts at {@code position}, clipped to {@code end}: either data, or a run that
   * is known to read as zeros (a hole, an unallocated or zero extent) and costs nothing to read. An
   * image that knows nothing of its allocation returns a single data extent.
   */
  Extent extentAt(long position, long end) throws IOException;

  /**
   * What the file this image reads was now ({@link ImageStamp}), to tell after a read whether it
   * changed meanwhile; empty for images that are not read from one local file (a stream, an NBD
   * export, a remote image).
   */
  default java.util.Optional<ImageStamp> stamp() throws IOException {
    return java.util.Optional.empty();
  }
}
