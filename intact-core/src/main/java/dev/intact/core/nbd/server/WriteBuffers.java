package dev.intact.core.nbd.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The data buffers of pipelined writes, shared by every connection the process serves: at most
 * {@link #MAX} of them exist, so the heap they take does not grow with the number of connections
 * (every connection writing at once would otherwise hold two each, as much as a volume server's
 * whole heap at the connection limit). A write that finds none free is answered in turn, in its
 * connection's own buffer, as every write was before pipelining.
 */
final class WriteBuffers {
  /** Bytes per buffer: the largest write a connection hands to a writer thread. */
  static final int SIZE = 1 << 20;

  /** Buffers that may exist at once. */
  static final int MAX = 16;

  private static final Queue<byte[]> FREE = new ConcurrentLinkedQueue<>();

  // One permit per buffer not yet made.
  private static final Semaphore UNMADE = new Semaphore(MAX);

  private WriteBuffers() {}

  /** A free buffer of {@link #SIZE} bytes, or null if all {@link #MAX} are in use. */
  static byte[] take() {
    byte[] b = FREE.poll();
    if (b == null && UNMADE.tryAcquire()) {
      b = new byte[SIZE];
    }
    return b;
  }

  /** Gives back a buffer {@link #take} returned. */
  static void give(byte[] b) {
    FREE.add(b);
  }
}
