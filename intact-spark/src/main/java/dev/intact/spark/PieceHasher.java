package dev.intact.spark;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import java.io.IOException;
import java.util.List;

/**
 * Runs on an executor: the digests of one {@link Piece}, through the same sparse-aware engine as
 * {@code intact sum} (holes are never read; zero blocks get their precomputed digest).
 */
final class PieceHasher {
  private final ChecksumEngine engine;

  PieceHasher(int threads) {
    this.engine = ChecksumEngine.withThreads(threads);
  }

  /**
   * @param hadoop the configuration to open a non-local input with (null when all are local)
   */
  PieceDigest hash(Piece piece, ChecksumType type, HadoopConf hadoop) throws IOException {
    try (Image image = ImageViews.open(piece.path(), type, hadoop)) {
      if (image.size() != piece.size()) {
        throw new InputChangedException(piece.path(), piece.size(), image.size());
      }
      ByteRange range = new ByteRange(piece.start(), piece.end());
      byte[] bytes =
          switch (type) {
            case WholeStream w ->
                engine.compute(image, type, range, ProgressListener.NONE).value().toBytes();
            case BlockHashList b ->
                concat(engine.blockDigests(image, b.inner(), b.blockSize(), range));
          };
      return new PieceDigest(piece.file(), piece.index(), piece.length(), bytes);
    }
  }

  private static byte[] concat(List<HashCode> digests) {
    if (digests.isEmpty()) {
      return new byte[0];
    }
    int length = digests.getFirst().length();
    byte[] out = new byte[Math.multiplyExact(length, digests.size())];
    for (int i = 0; i < digests.size(); i++) {
      System.arraycopy(digests.get(i).toBytes(), 0, out, i * length, length);
    }
    return out;
  }
}
