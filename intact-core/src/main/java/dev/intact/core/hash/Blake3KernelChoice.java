package dev.intact.core.hash;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which of {@link Blake3Lanes}' kernels hashes the chunks: the auto-vectorised loops until the
 * hashers of this process have been offered {@link #VECTORS_AFTER} bytes, the Vector API kernel
 * ({@link Blake3Vectors}, when its module is present) from then on.
 *
 * <p>Why: until C2 has compiled it, the Vector API kernel runs many times slower than the loops,
 * and compiling it costs more CPU than the loops take to hash tens of MiB (measured in
 * BENCHMARKS.md, "BLAKE3 kernel choice"). So small files are hashed by the loops, and a large file,
 * whose first mapped window alone is that many bytes, by the vectors from its first chunk: bytes
 * count when they are offered, before they are hashed.
 */
final class Blake3KernelChoice {
  /** Bytes offered before the Vector API kernel takes over: a mapped file's first window. */
  static final long VECTORS_AFTER = 32L << 20;

  /** The choice every hasher of this process shares. */
  static final Blake3KernelChoice PROCESS = new Blake3KernelChoice(VECTORS_AFTER);

  private final long after;
  private final AtomicLong offered = new AtomicLong();

  /** Vectors once {@code after} bytes have been offered: 0 from the start, Long.MAX_VALUE never. */
  Blake3KernelChoice(long after) {
    this.after = after;
  }

  /** Counts input a hasher is about to hash. */
  void offer(long bytes) {
    // Once the vectors are chosen the count no longer matters: no contended write per update.
    if (offered.get() < after) {
      offered.addAndGet(bytes);
    }
  }

  /** Whether the next chunks go to the Vector API kernel. */
  boolean vectors() {
    return offered.get() >= after;
  }

  /** Whether this choice ever picks the Vector API kernel. */
  boolean mayPickVectors() {
    return after != Long.MAX_VALUE && Blake3Lanes.VECTOR_API;
  }
}
