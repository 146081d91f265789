package dev.intact.core.flash;

/**
 * How to flash.
 *
 * @param verifySource check each source range against its bmap checksum before acknowledging it
 * @param readBack whether to read the destination back after the flush
 * @param retries how many times a range that reads back wrong is rewritten
 * @param chunkSize bytes per buffer (a multiple of 4096)
 * @param buffers buffers per pass: memory is {@code chunkSize * buffers} whatever the range sizes
 * @param segmentSize without a bmap, the image is verified and retried in segments of this size
 */
public record FlashOptions(
    boolean verifySource,
    ReadBack readBack,
    int retries,
    int chunkSize,
    int buffers,
    long segmentSize) {

  /** Read-back: AUTO reads back block devices, and any range the source could not verify. */
  public enum ReadBack {
    AUTO,
    ON,
    OFF
  }

  public static final FlashOptions DEFAULTS =
      new FlashOptions(true, ReadBack.AUTO, 3, 2 << 20, 6, 16L << 20);

  public FlashOptions {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be 0 or more, not " + retries);
    }
    if (chunkSize <= 0 || chunkSize % 4096 != 0 || buffers < 2) {
      throw new IllegalArgumentException("chunk size must be a multiple of 4096, buffers >= 2");
    }
    if (segmentSize <= 0 || segmentSize % 4096 != 0) {
      throw new IllegalArgumentException("segment size must be a positive multiple of 4096");
    }
  }

  public FlashOptions withRetries(int n) {
    return new FlashOptions(verifySource, readBack, n, chunkSize, buffers, segmentSize);
  }

  public FlashOptions withReadBack(ReadBack r) {
    return new FlashOptions(verifySource, r, retries, chunkSize, buffers, segmentSize);
  }

  public FlashOptions withVerifySource(boolean v) {
    return new FlashOptions(v, readBack, retries, chunkSize, buffers, segmentSize);
  }

  public FlashOptions withChunks(int size, int count, long segment) {
    return new FlashOptions(verifySource, readBack, retries, size, count, segment);
  }
}
