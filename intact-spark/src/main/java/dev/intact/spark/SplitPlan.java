package dev.intact.spark;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.hash.Combiners;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts inputs into {@link Piece}s for a checksum type: block-hash lists at block boundaries, the
 * CRC family and adler32 anywhere (their values combine), any other hash not at all (one piece per
 * input: its state cannot be carried between machines).
 */
final class SplitPlan {
  private SplitPlan() {}

  /** Whether values of {@code type} can be computed as ranges and combined. */
  static boolean splittable(ChecksumType type) {
    return switch (type) {
      case BlockHashList b -> true;
      case WholeStream w -> Combiners.of(w.algorithm()).isPresent();
    };
  }

  /**
   * The pieces of input {@code file} ({@code path}, {@code size} bytes): ranges of about {@code
   * splitSize} bytes (rounded up to whole blocks for a block-hash list), in order; an empty input
   * has one empty piece.
   */
  static List<Piece> pieces(int file, String path, long size, ChecksumType type, long splitSize) {
    if (splitSize <= 0) {
      throw new IllegalArgumentException("split size must be positive, not " + splitSize);
    }
    List<Piece> pieces = new ArrayList<>();
    if (!splittable(type) || size == 0) {
      pieces.add(new Piece(file, 0, path, size, 0, size));
      return pieces;
    }
    long step = splitSize;
    if (type instanceof BlockHashList b) {
      step = Math.max(1, Math.ceilDiv(splitSize, b.blockSize())) * b.blockSize();
    }
    for (long start = 0; start < size; start += step) {
      pieces.add(new Piece(file, pieces.size(), path, size, start, Math.min(size, start + step)));
    }
    return pieces;
  }
}
