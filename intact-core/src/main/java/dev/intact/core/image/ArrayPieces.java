package dev.intact.core.image;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Reads into native memory through an image's array read, a piece of at most 1 MiB at a time: the
 * default of the segment reads, so that a wrapper overriding only the array method sees every read.
 */
final class ArrayPieces {
  /** One of an image's array reads: {@code readFully} or {@code readDirect}. */
  @FunctionalInterface
  interface ArrayRead {
    void read(long position, byte[] dst, int offset, int length) throws IOException;
  }

  private static final int PIECE = 1 << 20;

  private ArrayPieces() {}

  static void read(long position, MemorySegment dst, ArrayRead read) throws IOException {
    long length = dst.byteSize();
    byte[] piece = new byte[(int) Math.min(length, PIECE)];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(piece.length, length - done);
      read.read(position + done, piece, 0, n);
      MemorySegment.copy(piece, 0, dst, JAVA_BYTE, done, n);
      done += n;
    }
  }
}
