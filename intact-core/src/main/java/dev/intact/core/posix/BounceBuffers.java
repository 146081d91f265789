package dev.intact.core.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reusable native buffers, {@link #SIZE} bytes aligned to {@link #ALIGNMENT}, through which heap
 * arrays are written (and read with O_DIRECT). Allocating a native segment zeroes it: one per write
 * of an upload's chunk cost the daemon ~12 % of its CPU. Buffers are taken and given back around
 * each call; at most {@link #MAX_IDLE} are kept, the rest are left to the garbage collector.
 */
public final class BounceBuffers {
  public static final int SIZE = 1 << 20;

  /** Enough for O_DIRECT on files and on devices of 512 and 4096-byte sectors. */
  public static final int ALIGNMENT = 4096;

  private static final int MAX_IDLE = 16;
  private static final ConcurrentLinkedQueue<MemorySegment> IDLE = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

  private BounceBuffers() {}

  public static MemorySegment take() {
    MemorySegment buf = IDLE.poll();
    if (buf != null) {
      IDLE_COUNT.decrementAndGet();
      return buf;
    }
    return Arena.ofAuto().allocate(SIZE, ALIGNMENT);
  }

  public static void give(MemorySegment buf) {
    if (IDLE_COUNT.incrementAndGet() <= MAX_IDLE) {
      IDLE.offer(buf);
    } else {
      IDLE_COUNT.decrementAndGet();
    }
  }
}
