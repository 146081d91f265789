package dev.intact.core.image;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An image that can be written: the destination of a transfer or a flash. Positional writes are
 * safe from many threads at once, as reads are.
 */
public interface WritableImage extends Image {

  /** Writes {@code length} bytes of {@code src} at {@code position}, growing a file if needed. */
  void write(long position, byte[] src, int offset, int length) throws IOException;

  /**
   * Makes {@code [position, position + length)} read as zeros as cheaply as the storage allows: a
   * punched hole in a file, BLKZEROOUT on a device, else written zeros. A file grows if the range
   * reaches past its end.
   */
  void zero(long position, long length) throws IOException;

  /**
   * Makes {@code [position, position + length)} read as zeros while keeping it allocated (a
   * preallocated image keeps its space): fallocate ZERO_RANGE on a file, NO_HOLE on NBD. This
   * default writes the zeros.
   */
  default void zeroAllocated(long position, long length) throws IOException {
    byte[] zeros = new byte[(int) Math.min(length, 1 << 20)];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(zeros.length, length - done);
      write(position + done, zeros, 0, n);
      done += n;
    }
  }

  /**
   * Whether {@link #resize} can set the size: a regular file's size is what it is made; a block
   * device's or an NBD export's is its storage's.
   */
  default boolean resizable() {
    return false;
  }

  /**
   * Sets the size of a {@link #resizable} image: bytes past it are dropped, new ones read as zeros
   * (a hole in a file).
   *
   * @throws UnsupportedOperationException if the image is not resizable
   */
  default void resize(long size) throws IOException {
    throw new UnsupportedOperationException(name() + ": has the fixed size of its storage");
  }

  /** Makes everything written so far durable ({@code fdatasync}). */
  void flush() throws IOException;

  /**
   * A hint: starts writing the range's bytes to the storage without waiting, so that the next
   * {@link #flush} waits less. It makes nothing durable; this default does nothing.
   */
  default void startWriteback(long position, long length) throws IOException {}

  /**
   * Reads like {@link #readFully} but from the storage itself, bypassing the page cache (O_DIRECT
   * through aligned bounce buffers), so read-back verification sees what was really written.
   * Unaligned positions and lengths, and a short tail at the end, are handled here.
   *
   * @throws java.io.EOFException if the image ends first
   */
  void readDirect(long position, byte[] dst, int offset, int length) throws IOException;

  /**
   * Writes all of {@code src} at {@code position} past the page cache where the storage allows it
   * (O_DIRECT from the caller's native memory: no copy into the kernel's cache, which costs more
   * CPU than the disk costs time), for a writer that reads the bytes back from the medium anyway.
   * The bytes are durable only after {@link #flush}. This default writes through {@link #write}, so
   * a wrapper that overrides only {@code write} still sees every byte.
   */
  default void writeDirect(long position, MemorySegment src) throws IOException {
    long length = src.byteSize();
    byte[] piece = new byte[(int) Math.min(length, 1 << 20)];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(piece.length, length - done);
      MemorySegment.copy(src, JAVA_BYTE, done, piece, 0, n);
      write(position + done, piece, 0, n);
      done += n;
    }
  }

  /**
   * Writes {@code src[offset, offset + length)} at {@code position} past the page cache where the
   * storage allows it, as {@link #writeDirect(long, MemorySegment)} does, for a writer that reads
   * the bytes back from the medium anyway (a verified download). This default is {@link #write}.
   */
  default void writeDirect(long position, byte[] src, int offset, int length) throws IOException {
    write(position, src, offset, length);
  }

  /**
   * Copies {@code length} bytes at {@code from} to {@code to} within this image; the ranges must
   * not overlap. The bytes are durable only after {@link #flush}, as written ones. This default
   * reads and writes through {@link #readFully} and {@link #write}, so a wrapper that overrides
   * only {@code write} still sees every byte; a local file overrides it to copy in the kernel.
   *
   * @throws java.io.EOFException if the image ends first
   */
  default void copyWithin(long from, long to, long length) throws IOException {
    byte[] piece = new byte[(int) Math.min(length, 1 << 20)];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(piece.length, length - done);
      readFully(from + done, piece, 0, n);
      write(to + done, piece, 0, n);
      done += n;
    }
  }

  /**
   * {@link #readDirect(long, byte[], int, int)} into native memory: {@code dst.byteSize()} bytes
   * read from the storage itself. This default reads through the array method, so a wrapper that
   * overrides only that one still sees every read.
   *
   * @throws java.io.EOFException if the image ends first
   */
  default void readDirect(long position, MemorySegment dst) throws IOException {
    ArrayPieces.read(position, dst, this::readDirect);
  }

  /**
   * This image as read-back verification must read it: every read is a {@link #readDirect}, so
   * checksum code that takes an {@link Image} sees the storage, not a cache of what was written.
   * Closing the view leaves this image open.
   */
  default Image directView() {
    WritableImage image = this;
    return new ForwardingImage(image) {
      @Override
      public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        image.readDirect(position, dst, offset, length);
      }

      @Override
      public void close() {}
    };
  }
}
