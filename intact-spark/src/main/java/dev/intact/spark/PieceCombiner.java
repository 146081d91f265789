package dev.intact.spark;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.hash.Combiner;
import dev.intact.core.hash.Combiners;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;

/**
 * Runs on the driver: joins the {@link PieceDigest}s of one input, fed in piece order, into its
 * checksum. A block-hash list's outer hash takes the block digests as they come; a CRC or adler32
 * combines the pieces' values; a value that does not combine comes in one piece.
 */
final class PieceCombiner {
  private final ChecksumType type;
  private final Hasher outer;
  private final Combiner combiner;
  private HashCode value;
  private long length;
  private int next;

  PieceCombiner(ChecksumType type) {
    this.type = type;
    switch (type) {
      case BlockHashList b -> {
        this.outer = b.inner().newHasher();
        this.combiner = null;
      }
      case WholeStream w -> {
        this.outer = null;
        this.combiner = Combiners.of(w.algorithm()).orElse(null);
        this.value = combiner == null ? null : w.algorithm().hash(new byte[0]);
      }
    }
  }

  /**
   * Adds the next piece.
   *
   * @throws IllegalStateException if pieces arrive out of order or an unsplittable value in many
   */
  void add(PieceDigest piece) {
    if (piece.index() != next) {
      throw new IllegalStateException("piece " + piece.index() + " arrived, expected " + next);
    }
    next++;
    switch (type) {
      case BlockHashList b -> outer.update(piece.bytes(), 0, piece.bytes().length);
      case WholeStream w -> {
        HashCode v = HashCode.of(piece.bytes());
        if (combiner != null) {
          value = combiner.combine(value, v, piece.length());
        } else if (piece.index() == 0) {
          value = v;
        } else {
          throw new IllegalStateException(w.name() + " values do not combine");
        }
      }
    }
    length += piece.length();
  }

  Checksum finish() {
    HashCode result = type instanceof BlockHashList b ? b.finish(outer, length) : value;
    return new Checksum(type, result, length);
  }
}
