package dev.intact.core.checksum;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;

/**
 * A checksum over a list of block digests: {@code H(H(b0) || ... || H(bN-1) [|| le64(length)])}.
 * Zero blocks may be skipped by using a precomputed digest; that is an optimisation, never a change
 * of value.
 */
public record BlockHashList(Construction construction, HashAlgorithm inner, int blockSize)
    implements ChecksumType {

  /** The two constructions in use by peers, which differ only in the length suffix. */
  public enum Construction {
    /** ovirt-imageio's {@code /checksum}: no length suffix; empty input is {@code H("")}. */
    IMAGEIO("imageio", "blake2b-256", 4 << 20, 1 << 20, 16 << 20),
    /** nirs/blkhash and {@code blksum}: the digest list is followed by {@code le64(length)}. */
    BLKHASH("blkhash", "sha256", 64 << 10, 4 << 10, 64 << 20);

    private final String label;
    private final String defaultInner;
    private final int defaultBlockSize;
    private final int minBlockSize;
    private final int maxBlockSize;

    Construction(String label, String defaultInner, int defaultBlockSize, int min, int max) {
      this.label = label;
      this.defaultInner = defaultInner;
      this.defaultBlockSize = defaultBlockSize;
      this.minBlockSize = min;
      this.maxBlockSize = max;
    }

    public String label() {
      return label;
    }

    public HashAlgorithm defaultInner() {
      return Algorithms.byName(defaultInner);
    }

    public int defaultBlockSize() {
      return defaultBlockSize;
    }

    public int minBlockSize() {
      return minBlockSize;
    }

    public int maxBlockSize() {
      return maxBlockSize;
    }

    public boolean appendsLength() {
      return this == BLKHASH;
    }
  }

  /** Block sizes must be a multiple of 4 KiB within the construction's range. */
  public BlockHashList {
    if (blockSize < construction.minBlockSize()
        || blockSize > construction.maxBlockSize()
        || blockSize % 4096 != 0) {
      throw new IllegalArgumentException(
          "block size "
              + blockSize
              + " is not valid for "
              + construction.label()
              + ": use a multiple of 4096 from "
              + construction.minBlockSize()
              + " to "
              + construction.maxBlockSize());
    }
  }

  /** The default inner algorithm is implied; any other is named: {@code imageio:sha1}. */
  @Override
  public String name() {
    return inner.name().equals(construction.defaultInner)
        ? construction.label()
        : construction.label() + ":" + inner.name();
  }

  @Override
  public int digestLength() {
    return inner.digestLength();
  }

  /**
   * Ends an outer hash that was fed the block digests of {@code length} bytes: the construction's
   * suffix (blkhash's {@code le64(length)}), then the value. The one place the suffix is written,
   * for the engine and for lists built from recorded digests alike.
   */
  public HashCode finish(Hasher outer, long length) {
    if (construction.appendsLength()) {
      byte[] le64 = new byte[8];
      for (int i = 0; i < 8; i++) {
        le64[i] = (byte) (length >>> (8 * i));
      }
      outer.update(le64, 0, 8);
    }
    return outer.finish();
  }
}
