package dev.intact.core.bmap;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.Hasher;
import dev.intact.core.io.Extent;
import dev.intact.core.io.Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the bmap of an image from its allocation map (SEEK_DATA/SEEK_HOLE for a local file), as
 * {@code bmaptool create} does: a block is mapped when any of its bytes is data; the last block is
 * clipped to the image size when hashed.
 */
public final class BmapCreator {
  /** bmaptool's block size on every file system Intact targets. */
  public static final int BLOCK_SIZE = 4096;

  private static final int READ_CHUNK = 1 << 20;

  private BmapCreator() {}

  /**
   * @param checksum the range checksum algorithm, or null for a bmap without range checksums (its
   *     file checksum is then sha256, as bmaptool's {@code --no-checksum} writes it)
   */
  public static Bmap create(Image image, HashAlgorithm checksum) throws IOException {
    long size = image.size();
    List<long[]> blocks = mappedBlocks(image, size);
    List<BmapRange> ranges = new ArrayList<>(blocks.size());
    byte[] buf = new byte[READ_CHUNK];
    for (long[] r : blocks) {
      BmapRange range = BmapRange.of(r[0], r[1], null);
      if (checksum != null) {
        var bytes = range.bytes(BLOCK_SIZE, size);
        Hasher h = checksum.newHasher();
        for (long pos = bytes.start(); pos < bytes.end(); ) {
          int n = (int) Math.min(buf.length, bytes.end() - pos);
          image.readFully(pos, buf, 0, n);
          h.update(buf, 0, n);
          pos += n;
        }
        range = BmapRange.of(r[0], r[1], h.finish());
      }
      ranges.add(range);
    }
    return Bmap.of(
        size, BLOCK_SIZE, checksum != null ? checksum : Algorithms.byName("sha256"), ranges);
  }

  /** Inclusive block runs holding data, merged when they touch. */
  private static List<long[]> mappedBlocks(Image image, long size) throws IOException {
    List<long[]> runs = new ArrayList<>();
    long pos = 0;
    while (pos < size) {
      Extent e = image.extentAt(pos, size);
      if (!e.zero()) {
        long first = e.start() / BLOCK_SIZE;
        long last = (e.end() - 1) / BLOCK_SIZE;
        long[] prev = runs.isEmpty() ? null : runs.getLast();
        if (prev != null && first <= prev[1] + 1) {
          prev[1] = Math.max(prev[1], last);
        } else {
          runs.add(new long[] {first, last});
        }
      }
      pos = e.end();
    }
    return runs;
  }
}
