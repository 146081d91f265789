package dev.intact.server.http;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;

/**
 * A request body read by a handler on its virtual thread, from Jetty's chunks straight into the
 * caller's memory. Why not {@code Content.Source.asInputStream}: that copies every chunk into a
 * byte array first, one more copy of each uploaded byte before it reaches the native buffer it is
 * written from. Not thread-safe; close it to give back a chunk still held.
 */
public final class BlockingBody implements AutoCloseable {
  private final Content.Source source;
  private Content.Chunk chunk; // the chunk being consumed, or null
  private boolean ended;

  public BlockingBody(Content.Source source) {
    this.source = source;
  }

  /**
   * Copies the next bytes of the body to {@code dst[at, at + want)} and returns how many: {@code
   * want}, or fewer only where the body ended.
   *
   * @throws IOException when the body fails (the client went away, a bad chunked encoding)
   */
  public int read(MemorySegment dst, long at, int want) throws IOException {
    int filled = 0;
    while (filled < want) {
      ByteBuffer bytes = current();
      if (bytes == null) {
        break;
      }
      int n = Math.min(bytes.remaining(), want - filled);
      MemorySegment.copy(MemorySegment.ofBuffer(bytes), 0, dst, at + filled, n);
      bytes.position(bytes.position() + n);
      filled += n;
    }
    return filled;
  }

  /** Whether any byte of the body is still unread (waits for the next chunk to tell). */
  public boolean hasMore() throws IOException {
    return current() != null;
  }

  /** Reads what is left of the body and drops it, chunk by chunk. */
  public void skipRest() throws IOException {
    for (ByteBuffer bytes = current(); bytes != null; bytes = current()) {
      bytes.position(bytes.limit());
    }
  }

  /** The unread part of the current chunk, waiting for one if needed; null at the body's end. */
  private ByteBuffer current() throws IOException {
    while (!ended) {
      if (chunk != null) {
        if (chunk.hasRemaining()) {
          return chunk.getByteBuffer();
        }
        ended = chunk.isLast();
        chunk.release();
        chunk = null;
        continue;
      }
      Content.Chunk next = source.read();
      if (next == null) {
        try (Blocker.Runnable demand = Blocker.runnable()) {
          source.demand(demand);
          demand.block();
        }
        continue;
      }
      if (Content.Chunk.isFailure(next)) {
        Throwable why = next.getFailure();
        throw why instanceof IOException io ? io : new IOException(why);
      }
      chunk = next;
    }
    return null;
  }

  @Override
  public void close() {
    if (chunk != null) {
      chunk.release();
      chunk = null;
    }
  }
}
