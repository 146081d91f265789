package dev.intact.client;

import dev.intact.core.checksum.BlockDigestList;
import dev.intact.core.checksum.BlockGrid;
import dev.intact.core.checksum.Zeros;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds what {@code --repair} resends: the byte ranges whose blocks a daemon's storage holds
 * differently from the digests recorded while sending. A daemon with {@code /block-digests}
 * (Intact's) hashes its blocks itself, a bounded number per request; one without (imageio) is read
 * back with ranged GETs, only where its extents say there is data, and hashed here.
 */
final class Repairer {
  /** Block digests per request: the daemon's bound. */
  static final int BATCH = 65_536;

  /** Most bytes read back per batch from a daemon without {@code /block-digests}. */
  static final int READ_BACK = 16 << 20;

  private Repairer() {}

  /** The ranges of {@code mine}'s blocks that {@code reference} holds differently, coalesced. */
  static List<ByteRange> differingRanges(ImageClient reference, BlockDigestList mine)
      throws IOException {
    return reference.capabilities().blockDigests()
        ? askDigests(reference, mine)
        : readBack(reference, mine);
  }

  private static List<ByteRange> askDigests(ImageClient reference, BlockDigestList mine)
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
      append(out, mine.differingRanges(BlockDigestList.of(mine.type(), part, theirs)));
    }
    return out;
  }

  /**
   * Reads {@code mine}'s range back from {@code reference} in batches of whole blocks and hashes
   * each block as the sender did. The extents are asked for afresh (the transfer changed them);
   * they only spare reading zeros: a block they wrongly call zero is found different here, and
   * verification after the repair reads the storage again either way.
   */
  private static List<ByteRange> readBack(ImageClient reference, BlockDigestList mine)
      throws IOException {
    BlockGrid grid = mine.grid();
    List<Extent> extents = reference.extents(0, -1);
    int perBatch = Math.max(1, READ_BACK / grid.blockSize());
    byte[] buf = new byte[Math.max(READ_BACK, grid.blockSize())];
    Hasher hasher = mine.type().inner().newHasher();
    List<ByteRange> out = new ArrayList<>();
    for (int from = 0; from < grid.blocks(); from += perBatch) {
      int to = Math.min(grid.blocks(), from + perBatch);
      ByteRange part = grid.span(from, to);
      fill(reference, extents, part, buf);
      BlockDigestList theirs = new BlockDigestList(mine.type(), part);
      for (int i = 0; i < to - from; i++) {
        ByteRange b = theirs.grid().block(i);
        int off = (int) (b.start() - part.start());
        if (Zeros.isZero(buf, off, (int) b.length())) {
          theirs.zero(i);
        } else {
          theirs.hash(i, hasher, buf, off, (int) b.length());
        }
      }
      append(out, mine.differingRanges(theirs));
    }
    return out;
  }

  /** Fills {@code buf} with {@code part} as stored: data extents read, zero extents zeroed. */
  private static void fill(ImageClient reference, List<Extent> extents, ByteRange part, byte[] buf)
      throws IOException {
    Arrays.fill(buf, 0, (int) part.length(), (byte) 0);
    long covered = part.start();
    for (Extent x : extents) {
      long s = Math.max(x.start(), part.start());
      long e = Math.min(x.end(), part.end());
      if (s >= e) {
        continue;
      }
      if (s != covered) {
        break; // a gap in the answer: read the rest rather than trust it
      }
      if (!x.zero()) {
        reference.read(s, buf, (int) (s - part.start()), (int) (e - s));
      }
      covered = e;
    }
    if (covered < part.end()) {
      reference.read(covered, buf, (int) (covered - part.start()), (int) (part.end() - covered));
    }
  }

  private static void append(List<ByteRange> out, List<ByteRange> more) {
    for (ByteRange r : more) {
      if (!out.isEmpty() && out.getLast().end() == r.start()) {
        out.set(out.size() - 1, new ByteRange(out.getLast().start(), r.end()));
      } else {
        out.add(r);
      }
    }
  }
}
