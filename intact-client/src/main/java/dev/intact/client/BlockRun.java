package dev.intact.client;

import dev.intact.core.checksum.BlockGrid;
import dev.intact.core.image.ByteRange;
import java.util.ArrayList;
import java.util.List;

/** Blocks {@code [first, end)} of a transfer's {@link BlockGrid}: a unit of work or of repair. */
record BlockRun(int first, int end) {

  BlockRun {
    if (first < 0 || end <= first) {
      throw new IllegalArgumentException("invalid block run [" + first + ", " + end + ")");
    }
  }

  int blocks() {
    return end - first;
  }

  /** Every block of the grid as one run; none for an empty range. */
  static List<BlockRun> all(BlockGrid grid) {
    return grid.blocks() == 0 ? List.of() : List.of(new BlockRun(0, grid.blocks()));
  }

  /** The blocks covering {@code ranges}, which start on block boundaries (differing ranges do). */
  static List<BlockRun> covering(BlockGrid grid, List<ByteRange> ranges) {
    List<BlockRun> out = new ArrayList<>();
    for (ByteRange r : ranges) {
      int last = grid.blockOf(r.end() - 1);
      out.add(new BlockRun(grid.blockOf(r.start()), last + 1));
    }
    return out;
  }

  /** {@code runs} split into runs of at most {@code perChunk} blocks, in order. */
  static List<BlockRun> chunks(List<BlockRun> runs, int perChunk) {
    List<BlockRun> out = new ArrayList<>();
    for (BlockRun run : runs) {
      for (int b = run.first; b < run.end; b += perChunk) {
        out.add(new BlockRun(b, Math.min(run.end, b + perChunk)));
      }
    }
    return out;
  }
}
