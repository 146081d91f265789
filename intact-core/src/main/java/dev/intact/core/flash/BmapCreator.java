package dev.intact.core.flash;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapRange;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
   * Maps the image's data blocks and computes the range checksums bmaptool's {@code create} writes.
   *
   * @param checksum the range checksum algorithm, or null for a bmap without range checksums (its
   *     file checksum is then sha256, as bmaptool's {@code --no-checksum} writes it)
   */
  public static Bmap create(Image image, HashAlgorithm checksum) throws IOException {
    long size = image.size();
    List<long[]> blocks = mappedBlocks(image, size);
    List<BmapRange> ranges = new ArrayList<>(blocks.size());
    if (checksum == null) {
      for (long[] r : blocks) {
        ranges.add(BmapRange.of(r[0], r[1], null));
      }
      return Bmap.of(size, BLOCK_SIZE, Algorithms.byName("sha256"), ranges);
    }
    // Ranges are hashed on every core (an Image allows concurrent positional reads); each worker
    // has one buffer, so memory does not depend on the range sizes.
    int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), blocks.size()));
    ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[READ_CHUNK]);
    try (ExecutorService pool =
        Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon().factory())) {
      List<Future<HashCode>> sums = new ArrayList<>(blocks.size());
      for (long[] r : blocks) {
        ByteRange bytes = BmapRange.of(r[0], r[1], null).bytes(BLOCK_SIZE, size);
        sums.add(pool.submit(() -> hash(image, bytes, checksum, buffers.get())));
      }
      for (int i = 0; i < blocks.size(); i++) {
        ranges.add(BmapRange.of(blocks.get(i)[0], blocks.get(i)[1], sums.get(i).get()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing " + image.name());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
    return Bmap.of(size, BLOCK_SIZE, checksum, ranges);
  }

  private static HashCode hash(Image image, ByteRange bytes, HashAlgorithm alg, byte[] buf)
      throws IOException {
    Hasher h = alg.newHasher();
    for (long pos = bytes.start(); pos < bytes.end(); ) {
      int n = (int) Math.min(buf.length, bytes.end() - pos);
      image.readFully(pos, buf, 0, n);
      h.update(buf, 0, n);
      pos += n;
    }
    return h.finish();
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
