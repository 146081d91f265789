package dev.intact.core.nbd.transport;

import dev.intact.core.nbd.wire.NbdProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** Whole-buffer reads and writes on a blocking channel. */
public final class Channels {
  private Channels() {}

  /**
   * Fills {@code b}; a peer that closes first has broken the protocol mid-message (or, if {@code b}
   * got nothing at all and {@code eofOk}, simply hung up: then returns false).
   */
  public static boolean readFully(ReadableByteChannel ch, ByteBuffer b, String what, boolean eofOk)
      throws IOException {
    boolean any = false;
    while (b.hasRemaining()) {
      int n = ch.read(b);
      if (n < 0) {
        if (!any && eofOk) {
          return false;
        }
        throw new NbdProtocolException("connection closed by the peer in the middle of " + what);
      }
      any |= n > 0;
    }
    return true;
  }

  public static void readFully(ReadableByteChannel ch, ByteBuffer b, String what)
      throws IOException {
    readFully(ch, b, what, false);
  }

  public static ByteBuffer read(ReadableByteChannel ch, int n, String what) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    readFully(ch, b, what);
    return b.flip();
  }

  public static void skip(ReadableByteChannel ch, long n, String what) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(n, 65536));
    while (n > 0) {
      b.clear().limit((int) Math.min(n, b.capacity()));
      readFully(ch, b, what);
      n -= b.limit();
    }
  }

  /** Writes every buffer, in one {@code writev} where the channel can gather. */
  public static void writeFully(WritableByteChannel ch, ByteBuffer... buffers) throws IOException {
    if (buffers.length > 1 && ch instanceof GatheringByteChannel g) {
      int first = 0;
      while (first < buffers.length) {
        g.write(buffers, first, buffers.length - first);
        while (first < buffers.length && !buffers[first].hasRemaining()) {
          first++;
        }
      }
      return;
    }
    for (ByteBuffer b : buffers) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }
}
