package dev.intact.server.job;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.io.ByteRange;
import dev.intact.core.io.Image;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Checksums of an image's storage as the daemon computes them for jobs, the synchronous checksum
 * and block digests: one reader, blocks hashed in order.
 */
public final class StorageChecksum {
  private static final int CHUNK = 4 << 20;

  private StorageChecksum() {}

  /**
   * The checksum of {@code range}, reporting bytes done to {@code progress}.
   *
   * @throws InterruptedIOException if the calling thread is interrupted (the job was cancelled)
   */
  public static Checksum compute(
      Image image, ChecksumType type, ByteRange range, LongConsumer progress) throws IOException {
    return switch (type) {
      case WholeStream w -> wholeStream(image, w, range, progress);
      case BlockHashList b -> blockHashList(image, b, range, progress);
    };
  }

  private static Checksum wholeStream(
      Image image, WholeStream type, ByteRange range, LongConsumer progress) throws IOException {
    Hasher hasher = type.algorithm().newHasher();
    byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, range.length()))];
    for (long pos = range.start(); pos < range.end(); ) {
      checkInterrupted();
      int n = (int) Math.min(buf.length, range.end() - pos);
      image.readFully(pos, buf, 0, n);
      hasher.update(buf, 0, n);
      pos += n;
      progress.accept(pos - range.start());
    }
    return new Checksum(type, hasher.finish(), range.length());
  }

  private static Checksum blockHashList(
      Image image, BlockHashList type, ByteRange range, LongConsumer progress) throws IOException {
    HashAlgorithm inner = type.inner();
    Hasher outer = inner.newHasher();
    List<HashCode> digests = blockDigests(image, inner, type.blockSize(), range, progress);
    for (HashCode d : digests) {
      outer.update(d.toBytes());
    }
    if (type.construction().appendsLength()) {
      byte[] le = new byte[8];
      long len = range.length();
      for (int i = 0; i < 8; i++) {
        le[i] = (byte) (len >>> (8 * i));
      }
      outer.update(le);
    }
    return new Checksum(type, outer.finish(), range.length());
  }

  /** The digest of every block of {@code range}; the last block may be short. */
  public static List<HashCode> blockDigests(
      Image image, HashAlgorithm inner, int blockSize, ByteRange range, LongConsumer progress)
      throws IOException {
    Hasher hasher = inner.newHasher();
    byte[] buf = new byte[blockSize];
    List<HashCode> digests = new ArrayList<>();
    for (long pos = range.start(); pos < range.end(); ) {
      checkInterrupted();
      int n = (int) Math.min(blockSize, range.end() - pos);
      image.readFully(pos, buf, 0, n);
      digests.add(hasher.update(buf, 0, n).finish());
      pos += n;
      progress.accept(pos - range.start());
    }
    return digests;
  }

  private static void checkInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("checksum cancelled");
    }
  }
}
