package dev.intact.server.image;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import java.io.Closeable;
import java.io.IOException;

/**
 * The storage behind one ticket: a regular file or a block device, opened once per ticket and
 * shared by its concurrent requests (every operation is positional and thread-safe).
 */
public interface ImageBackend extends Closeable {

  /** Name for messages and logs: the path. */
  String name();

  /** Bytes the storage holds; at least the ticket's size. */
  long size() throws IOException;

  /** Reads exactly {@code length} bytes at {@code position}. */
  void read(long position, byte[] dst, int offset, int length) throws IOException;

  /** Writes {@code length} bytes at {@code position}. */
  void write(long position, byte[] src, int offset, int length) throws IOException;

  /** Makes {@code [position, position + length)} read as zeros, deallocating where possible. */
  void zero(long position, long length) throws IOException;

  /**
   * Makes {@code [position, position + length)} read as zeros and keeps it allocated, for tickets
   * with {@code "sparse": false}. This default writes the zeros.
   */
  default void zeroAllocated(long position, long length) throws IOException {
    byte[] zeros = new byte[(int) Math.min(length, 1 << 20)];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(zeros.length, length - done);
      write(position + done, zeros, 0, n);
      done += n;
    }
  }

  /** Makes every completed write durable. */
  void flush() throws IOException;

  /** The extent at {@code position} clipped to {@code end}; see {@link Image#extentAt}. */
  Extent extentAt(long position, long end) throws IOException;

  /**
   * The storage as a checksum job must read it: the bytes on the device, not a cache of what was
   * written (call {@link #flush} first). Closing the view leaves the backend open.
   */
  Image storage() throws IOException;
}
