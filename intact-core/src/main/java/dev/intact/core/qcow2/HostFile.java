package dev.intact.core.qcow2;

import java.io.Closeable;
import java.io.IOException;

/**
 * The qcow2 file's own bytes, read by position (safe for concurrent reads): the file on disk, or an
 * array in the fuzz target.
 */
interface HostFile extends Closeable {
  /** The file's size, as it was when opened. */
  long size();

  /**
   * Reads up to {@code length} bytes at {@code position}: the count read, 0 at the end of the file.
   */
  int pread(long position, byte[] dst, int offset, int length) throws IOException;

  /**
   * Reads bytes at {@code position} until {@code length} are in or the file ends: the count read.
   */
  default int readUpTo(long position, byte[] dst, int offset, int length) throws IOException {
    int done = 0;
    while (done < length) {
      int n = pread(position + done, dst, offset + done, length - done);
      if (n == 0) {
        break;
      }
      done += n;
    }
    return done;
  }
}
