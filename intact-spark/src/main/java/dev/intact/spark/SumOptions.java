package dev.intact.spark;

/**
 * How {@code sum} spreads its work.
 *
 * @param splitSize bytes per task for a splittable checksum (rounded up to whole blocks)
 * @param taskThreads threads each task hashes with (the engine's workers)
 * @param waveBytes at most this many bytes of digests are held on the driver at once: a huge input
 *     is summed in waves of pieces, each wave combined before the next is collected
 */
public record SumOptions(long splitSize, int taskThreads, long waveBytes) {
  public static final long DEFAULT_SPLIT = 256L << 20;
  public static final long DEFAULT_WAVE = 256L << 20;

  public SumOptions {
    if (splitSize <= 0) {
      throw new IllegalArgumentException("split size must be positive, not " + splitSize);
    }
    if (taskThreads < 1) {
      throw new IllegalArgumentException("task threads must be at least 1, not " + taskThreads);
    }
    if (waveBytes <= 0) {
      throw new IllegalArgumentException("wave size must be positive, not " + waveBytes);
    }
  }

  public static SumOptions defaults() {
    return new SumOptions(DEFAULT_SPLIT, 1, DEFAULT_WAVE);
  }

  public SumOptions withSplitSize(long bytes) {
    return new SumOptions(bytes, taskThreads, waveBytes);
  }
}
