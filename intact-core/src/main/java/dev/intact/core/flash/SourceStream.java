package dev.intact.core.flash;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.OptionalLong;

/**
 * The decoded bytes of an image, read forward from some offset. Every failure, including the
 * decoder's, becomes a {@link SourceReadException} saying how far it got.
 */
public final class SourceStream implements AutoCloseable {
  private static final int SKIP_BUFFER = 256 * 1024;

  private final String name;
  private final Compression compression;
  private final CountingInputStream compressed;
  private final InputStream decoded;
  private final FileSourceInputStream raw; // an uncompressed file, read straight into native memory
  private long position;
  private byte[] skipBuffer;
  private byte[] heapBuffer; // native reads of any other stream go through it

  SourceStream(
      String name,
      Compression compression,
      CountingInputStream compressed,
      InputStream decoded,
      long position) {
    this.name = name;
    this.compression = compression;
    this.compressed = compressed;
    this.decoded = decoded;
    this.position = position;
    this.raw =
        compression == Compression.NONE && compressed.source() instanceof FileSourceInputStream f
            ? f
            : null;
  }

  /** Wraps a stream of compressed (or raw) bytes positioned at image byte 0. */
  static SourceStream open(String name, Compression compression, InputStream in)
      throws IOException {
    CountingInputStream counting = new CountingInputStream(in);
    InputStream decoded;
    try {
      decoded = compression.decoder(counting);
    } catch (IOException e) {
      throw failure(name, compression, counting, 0, e);
    }
    return new SourceStream(name, compression, counting, decoded, 0);
  }

  public String name() {
    return name;
  }

  /** Image bytes consumed so far. */
  public long position() {
    return position;
  }

  /** Reads up to {@code length} bytes; -1 at the end of the image. */
  public int read(byte[] dst, int offset, int length) throws SourceReadException {
    try {
      int n = decoded.read(dst, offset, length);
      if (n > 0) {
        position += n;
      }
      return n;
    } catch (IOException e) {
      throw failure(name, compression, compressed, position, e);
    }
  }

  /**
   * Reads up to {@code dst.byteSize()} bytes into native memory; -1 at the end of the image. An
   * uncompressed file is read with pread straight into {@code dst}; a decoder's output is copied.
   */
  public int read(MemorySegment dst) throws SourceReadException {
    if (raw == null) {
      if (heapBuffer == null) {
        heapBuffer = new byte[SKIP_BUFFER];
      }
      int n = read(heapBuffer, 0, (int) Math.min(heapBuffer.length, dst.byteSize()));
      if (n > 0) {
        MemorySegment.copy(heapBuffer, 0, dst, JAVA_BYTE, 0, n);
      }
      return n;
    }
    try {
      int n = raw.read(dst);
      if (n > 0) {
        position += n;
      }
      return n;
    } catch (IOException e) {
      throw failure(name, compression, compressed, position, e);
    }
  }

  /**
   * Fills {@code dst}.
   *
   * @throws SourceReadException if the image ends first, naming {@code expectedSize}
   */
  public void readFully(MemorySegment dst, long expectedSize) throws SourceReadException {
    long done = 0;
    while (done < dst.byteSize()) {
      int n = read(dst.asSlice(done));
      if (n < 0) {
        throw endedEarly(expectedSize);
      }
      done += n;
    }
  }

  /**
   * Reads exactly {@code length} bytes.
   *
   * @throws SourceReadException if the image ends first, naming {@code expectedSize}
   */
  public void readFully(byte[] dst, int offset, int length, long expectedSize)
      throws SourceReadException {
    int done = 0;
    while (done < length) {
      int n = read(dst, offset + done, length - done);
      if (n < 0) {
        throw endedEarly(expectedSize);
      }
      done += n;
    }
  }

  /** Moves forward to image byte {@code target} (decoding and discarding when compressed). */
  public void skipTo(long target, long expectedSize) throws SourceReadException {
    if (target < position) {
      throw new IllegalArgumentException("cannot move back from " + position + " to " + target);
    }
    if (compression == Compression.NONE && target > position) {
      try {
        long skipped = decoded.skip(target - position);
        position += skipped;
      } catch (IOException e) {
        throw failure(name, compression, compressed, position, e);
      }
    }
    if (skipBuffer == null && position < target) {
      skipBuffer = new byte[SKIP_BUFFER];
    }
    while (position < target) {
      int n = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, target - position));
      if (n < 0) {
        throw endedEarly(expectedSize);
      }
    }
  }

  /**
   * Reads to the end, so that a compressed stream's trailer and checksum are checked, and returns
   * the image size.
   */
  public long drain() throws SourceReadException {
    if (skipBuffer == null) {
      skipBuffer = new byte[SKIP_BUFFER];
    }
    while (read(skipBuffer, 0, skipBuffer.length) >= 0) {
      // count only
    }
    return position;
  }

  private SourceReadException endedEarly(long expectedSize) {
    return new SourceReadException(
        name,
        position,
        compressedOffset(compression, compressed),
        expectedSize >= 0
            ? "image ends early (the bmap says it has " + expectedSize + " bytes)"
            : "image ends early",
        null);
  }

  private static SourceReadException failure(
      String name,
      Compression compression,
      CountingInputStream counting,
      long position,
      IOException e) {
    if (e instanceof SourceReadException s) {
      return s;
    }
    String what =
        compression == Compression.NONE
            ? "read error"
            : (e instanceof EOFException ? "truncated " : "corrupt or truncated ")
                + compression.displayName()
                + " stream";
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new SourceReadException(
        name,
        position,
        compressedOffset(compression, counting),
        what + " (" + detail.strip() + ")",
        e);
  }

  private static OptionalLong compressedOffset(Compression c, CountingInputStream counting) {
    return c == Compression.NONE ? OptionalLong.empty() : OptionalLong.of(counting.count());
  }

  @Override
  public void close() throws IOException {
    decoded.close();
  }
}
