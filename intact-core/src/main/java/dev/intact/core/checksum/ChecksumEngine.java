package dev.intact.core.checksum;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes checksums of images and streams: whole-stream values in one pass with reading and
 * hashing overlapped; block-hash lists with a pool of workers, holes skipped without reads and zero
 * blocks given their precomputed digest. The values never depend on the thread count.
 *
 * <p>Immutable and thread-safe; each computation starts its own threads and stops them before it
 * returns.
 */
public final class ChecksumEngine {
  private final int threads;
  private final int chunk;
  private final long mapWindow;

  private ChecksumEngine(int threads, int chunk, long mapWindow) {
    this.threads = threads;
    this.chunk = chunk;
    this.mapWindow = mapWindow;
  }

  /** An engine using up to {@code threads} workers for block-hash lists. */
  public static ChecksumEngine withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, not " + threads);
    }
    return new ChecksumEngine(
        threads, SegmentHasher.DEFAULT_CHUNK, MappedWholeStream.DEFAULT_WINDOW);
  }

  /**
   * The same engine reading in chunks of {@code bytes}: tests use small chunks so that small images
   * still take the many-segment, many-thread paths.
   */
  ChecksumEngine withChunkSize(int bytes) {
    if (bytes <= 0 || bytes % 4096 != 0) {
      throw new IllegalArgumentException("chunk size must be a positive multiple of 4096");
    }
    return new ChecksumEngine(threads, bytes, mapWindow);
  }

  /**
   * The same engine mapping files {@code bytes} at a time (a multiple of 2 MiB): tests use small
   * windows so that small files still take many.
   */
  ChecksumEngine withMapWindow(long bytes) {
    if (bytes <= 0 || bytes % MappedWholeStream.ALIGNMENT != 0) {
      throw new IllegalArgumentException("map window must be a positive multiple of 2 MiB");
    }
    return new ChecksumEngine(threads, chunk, bytes);
  }

  /** An engine with one worker per available core. */
  public static ChecksumEngine withDefaultThreads() {
    return withThreads(Runtime.getRuntime().availableProcessors());
  }

  public int threads() {
    return threads;
  }

  /**
   * The checksum of {@code range} of the image.
   *
   * @throws dev.intact.core.image.RangeOutOfBoundsException if the range reaches past the end
   * @throws IOException if the image cannot be read, naming it
   */
  public Checksum compute(
      Image image, ChecksumType type, ByteRange range, ProgressListener progress)
      throws IOException {
    range.checkWithin(image.size(), image.name());
    // instanceof, not a pattern switch on the sealed type: such a switch spins a class at run
    // time, which the AOT cache does not hold, on the path of every short sum.
    HashCode value;
    if (type instanceof WholeStream w) {
      Hasher hasher = w.algorithm().newHasher();
      new WholeStreamPipeline(chunk, threads, mapWindow)
          .run(image, range.start(), range.end(), hasher, progress);
      value = hasher.finish();
    } else {
      BlockHashList b = (BlockHashList) type;
      Hasher outer = b.inner().newHasher();
      new BlockPipeline(b.inner(), b.blockSize(), threads, chunk)
          .run(image, range.start(), range.end(), outer::update, progress);
      value = b.finish(outer, range.length());
    }
    return new Checksum(type, value, range.length());
  }

  /**
   * The checksum of everything the stream gives until its end (standard input, a pipe). Read in
   * order, without holes; blocks that read all zero still get the precomputed zero digest.
   */
  public Checksum compute(InputStream in, ChecksumType type, ProgressListener progress)
      throws IOException {
    if (type instanceof WholeStream w) { // not a pattern switch: see compute(Image, ...)
      Hasher hasher = w.algorithm().newHasher();
      long size = new WholeStreamPipeline(chunk, threads, mapWindow).run(in, hasher, progress);
      return new Checksum(type, hasher.finish(), size);
    }
    BlockHashList b = (BlockHashList) type;
    Hasher outer = b.inner().newHasher();
    BlockPipeline pipeline = new BlockPipeline(b.inner(), b.blockSize(), threads, chunk);
    long size = pipeline.run(in, outer::update, progress);
    return new Checksum(type, b.finish(outer, size), size);
  }

  /**
   * The digest of each block of {@code range}, in order, counting blocks from {@code
   * range.start()}; the last may be short. Memory grows with the number of blocks, so the caller
   * bounds the range (a transfer's repair step asks for one region at a time).
   *
   * @throws dev.intact.core.image.RangeOutOfBoundsException if the range reaches past the end
   */
  public List<HashCode> blockDigests(
      Image image, HashAlgorithm inner, int blockSize, ByteRange range) throws IOException {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, not " + blockSize);
    }
    range.checkWithin(image.size(), image.name());
    int length = inner.digestLength();
    List<HashCode> digests = new ArrayList<>();
    byte[] one = new byte[length];
    new BlockPipeline(inner, blockSize, threads, chunk)
        .run(
            image,
            range.start(),
            range.end(),
            (buf, off, len) -> {
              for (int i = off; i < off + len; i += length) {
                System.arraycopy(buf, i, one, 0, length);
                digests.add(HashCode.of(one));
              }
            },
            ProgressListener.NONE);
    return digests;
  }
}
