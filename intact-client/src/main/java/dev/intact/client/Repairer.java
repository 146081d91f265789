package dev.intact.client;

import dev.intact.core.checksum.BlockDigestList;
import dev.intact.core.checksum.BlockGrid;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds what {@code --repair} resends: the byte ranges whose blocks a daemon's storage holds
 * differently from the digests recorded while sending. The daemon answers a bounded number of
 * blocks per request, so the list is compared one batch at a time.
 */
final class Repairer {
  /** Block digests per request: the daemon's bound. */
  static final int BATCH = 65_536;

  private Repairer() {}

  /** The ranges of {@code mine}'s blocks that {@code reference} holds differently, coalesced. */
  static List<ByteRange> differingRanges(ImageClient reference, BlockDigestList mine)
      throws IOException {
    BlockGrid grid = mine.grid();
    List<ByteRange> out = new ArrayList<>();
    for (int from = 0; from < grid.blocks(); from += BATCH) {
      int to = Math.min(grid.blocks(), from + BATCH);
      ByteRange part = grid.span(from, to);
      List<HashCode> theirs = reference.blockDigests(mine.type().inner(), grid.blockSize(), part);
      if (theirs.size() != to - from) {
        throw new IOException(
            reference.describe()
                + " returned "
                + theirs.size()
                + " block digests for "
                + (to - from)
                + " blocks");
      }
      for (ByteRange r : mine.differingRanges(BlockDigestList.of(mine.type(), part, theirs))) {
        if (!out.isEmpty() && out.getLast().end() == r.start()) {
          out.set(out.size() - 1, new ByteRange(out.getLast().start(), r.end()));
        } else {
          out.add(r);
        }
      }
    }
    return out;
  }
}
