package dev.intact.core.checksum;

import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The inner digest of every block of a range, recorded one block at a time (by a transfer's workers
 * as they send, so the source is read once) or taken from a daemon's answer, and what follows from
 * them: the block-hash list checksum ({@link #checksum}) and the byte ranges whose blocks differ
 * from another list ({@link #differingRanges}), which is what a repair resends.
 *
 * <p>As with the hash package, the algorithm ({@link BlockHashList}), the running state (this list)
 * and the value ({@link Checksum}) are kept apart. Workers may record different blocks at the same
 * time; whoever reads the list afterwards must have joined them. Memory: one digest per block
 * (sha256 over blkhash's 64 KiB blocks costs 32 bytes per 64 KiB, 0.05 %).
 */
public final class BlockDigestList {
  private final BlockHashList type;
  private final BlockGrid grid;
  private final int digestLength;
  private final byte[] digests;

  /**
   * A list of {@code type}'s blocks over {@code range}, each digest to be recorded.
   *
   * @throws IllegalArgumentException if the digests would not fit in one array
   */
  public BlockDigestList(BlockHashList type, ByteRange range) {
    this.type = type;
    this.grid = new BlockGrid(range, type.blockSize());
    this.digestLength = type.inner().digestLength();
    long bytes = (long) grid.blocks() * digestLength;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          range.length()
              + " bytes in blocks of "
              + type.blockSize()
              + " need too many digests: choose a larger block size");
    }
    this.digests = new byte[(int) bytes];
  }

  /**
   * The list of the given digests, in block order (a daemon's {@code block-digests} answer).
   *
   * @throws IllegalArgumentException if there is not one digest of the inner length per block
   */
  public static BlockDigestList of(BlockHashList type, ByteRange range, List<HashCode> digests) {
    BlockDigestList list = new BlockDigestList(type, range);
    if (digests.size() != list.grid.blocks()) {
      throw new IllegalArgumentException(
          digests.size() + " digests for the " + list.grid.blocks() + " blocks of " + range);
    }
    for (int i = 0; i < digests.size(); i++) {
      list.put(i, digests.get(i));
    }
    return list;
  }

  public BlockHashList type() {
    return type;
  }

  public BlockGrid grid() {
    return grid;
  }

  /** Records block {@code i}'s digest, hashing {@code buf[offset, offset + length)}. */
  public void hash(int i, Hasher hasher, byte[] buf, int offset, int length) {
    checkLength(i, length);
    hasher.update(buf, offset, length).finishInto(digests, i * digestLength);
  }

  /** Records that block {@code i} reads as zeros: its digest is the cached zero digest. */
  public void zero(int i) {
    int length = (int) grid.block(i).length();
    System.arraycopy(
        Zeros.blockDigest(type.inner(), type.blockSize(), length),
        0,
        digests,
        i * digestLength,
        digestLength);
  }

  /** Records block {@code i}'s digest as given. */
  public void put(int i, HashCode digest) {
    if (digest.length() != digestLength) {
      throw new IllegalArgumentException(
          "a "
              + type.inner().name()
              + " digest has "
              + digestLength
              + " bytes, not "
              + digest.length());
    }
    Objects.checkIndex(i, grid.blocks());
    System.arraycopy(digest.toBytes(), 0, digests, i * digestLength, digestLength);
  }

  public HashCode digest(int i) {
    Objects.checkIndex(i, grid.blocks());
    return HashCode.of(Arrays.copyOfRange(digests, i * digestLength, (i + 1) * digestLength));
  }

  /** The block-hash list over every digest: what the engine computes from the same bytes. */
  public Checksum checksum() {
    Hasher outer = type.inner().newHasher();
    outer.update(digests, 0, digests.length);
    long length = grid.range().length();
    return new Checksum(type, type.finish(outer, length), length);
  }

  /**
   * The bytes of this list's blocks whose digests differ from {@code theirs}, as the fewest ranges
   * (adjacent differing blocks form one range), in order. {@code theirs} may cover only part of
   * this list (a daemon answers a bounded number of blocks at a time): it must be of the same type
   * and start on one of this list's block boundaries.
   *
   * @throws IllegalArgumentException if the lists do not describe the same blocks
   */
  public List<ByteRange> differingRanges(BlockDigestList theirs) {
    ByteRange part = theirs.grid.range();
    if (!theirs.type.equals(type)
        || part.start() < grid.range().start()
        || part.end() > grid.range().end()
        || (part.start() - grid.range().start()) % type.blockSize() != 0
        || (part.end() != grid.range().end() && part.length() % type.blockSize() != 0)) {
      throw new IllegalArgumentException(
          "blocks of "
              + theirs.type.name()
              + " over "
              + part
              + " are not blocks of "
              + type.name()
              + " over "
              + grid.range());
    }
    int first = grid.blockOf(part.start());
    List<ByteRange> out = new ArrayList<>();
    int runStart = -1;
    int n = theirs.grid.blocks();
    for (int k = 0; k <= n; k++) {
      boolean differs =
          k < n
              && !Arrays.equals(
                  digests,
                  (first + k) * digestLength,
                  (first + k + 1) * digestLength,
                  theirs.digests,
                  k * digestLength,
                  (k + 1) * digestLength);
      if (differs && runStart < 0) {
        runStart = first + k;
      } else if (!differs && runStart >= 0) {
        out.add(grid.span(runStart, first + k));
        runStart = -1;
      }
    }
    return out;
  }

  private void checkLength(int i, int length) {
    long want = grid.block(i).length();
    if (length != want) {
      throw new IllegalArgumentException(
          "block " + i + " of " + grid.range() + " has " + want + " bytes, not " + length);
    }
  }
}
