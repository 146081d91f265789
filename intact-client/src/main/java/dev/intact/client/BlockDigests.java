package dev.intact.client;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inner digest of every block of a transfer's range, filled in by the workers as they send (so
 * the source is read once), then combined into the block-hash list checksum. The same digests tell
 * {@code --repair} which blocks differ. Memory: one digest per block (blkhash's 64 KiB blocks with
 * sha256 cost 32 bytes per 64 KiB, 0.05 %). A transfer verified with a whole-stream algorithm and
 * no {@code --repair} only needs the block geometry: it records nothing.
 */
final class BlockDigests {
  private final BlockHashList type;
  private final ByteRange range;
  private final int digestLength;
  private final int blocks;
  private final boolean recording;
  private final byte[] digests;
  private final ConcurrentHashMap<Integer, byte[]> zeroDigests = new ConcurrentHashMap<>();

  BlockDigests(BlockHashList type, ByteRange range) {
    this(type, range, true);
  }

  /** Blocks of {@code type} over {@code range}; their digests are kept only when recording. */
  BlockDigests(BlockHashList type, ByteRange range, boolean recording) {
    this.type = type;
    this.range = range;
    this.recording = recording;
    this.digestLength = type.inner().digestLength();
    long blocks = blockCount(range.length(), type.blockSize());
    if (blocks > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          range.length() + " bytes in blocks of " + type.blockSize() + " are too many blocks");
    }
    this.blocks = (int) blocks;
    if (recording && blocks * digestLength > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          range.length()
              + " bytes in blocks of "
              + type.blockSize()
              + " need too many digests: choose a larger block size (--checksum imageio)");
    }
    this.digests = new byte[recording ? (int) (blocks * digestLength) : 0];
  }

  static long blockCount(long length, int blockSize) {
    return (length + blockSize - 1) / blockSize;
  }

  BlockHashList type() {
    return type;
  }

  ByteRange range() {
    return range;
  }

  int blocks() {
    return blocks;
  }

  boolean recording() {
    return recording;
  }

  int blockSize() {
    return type.blockSize();
  }

  /** The byte range of block {@code i}; the last may be short. */
  long blockStart(int i) {
    return range.start() + (long) i * type.blockSize();
  }

  int blockLength(int i) {
    return (int) Math.min(type.blockSize(), range.end() - blockStart(i));
  }

  /** Records the digest of block {@code i}: hashed from {@code buf}, or the zero digest. */
  void record(int i, Hasher hasher, byte[] buf, int offset, int length, boolean zero) {
    if (!recording) {
      return;
    }
    if (zero) {
      System.arraycopy(zeroDigest(length), 0, digests, i * digestLength, digestLength);
    } else {
      hasher.update(buf, offset, length).finishInto(digests, i * digestLength);
    }
  }

  private byte[] zeroDigest(int length) {
    return zeroDigests.computeIfAbsent(length, n -> type.inner().hash(new byte[n]).toBytes());
  }

  HashCode get(int i) {
    return HashCode.of(Arrays.copyOfRange(digests, i * digestLength, (i + 1) * digestLength));
  }

  boolean matches(int i, HashCode other) {
    return Arrays.equals(
        digests, i * digestLength, (i + 1) * digestLength, other.toBytes(), 0, digestLength);
  }

  /** The block-hash list over every recorded digest. */
  Checksum checksum() {
    Hasher outer = type.inner().newHasher();
    outer.update(digests, 0, digests.length);
    if (type.construction().appendsLength()) {
      byte[] le64 = new byte[8];
      long n = range.length();
      for (int k = 0; k < 8; k++) {
        le64[k] = (byte) (n >>> (8 * k));
      }
      outer.update(le64);
    }
    return new Checksum(type, outer.finish(), range.length());
  }
}
