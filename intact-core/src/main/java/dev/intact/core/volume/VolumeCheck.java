package dev.intact.core.volume;

import dev.intact.core.image.ByteRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies every block of a volume against its tag and groups the failures into ranges: what {@code
 * intact volume check} prints and {@code repair} rewrites.
 */
public final class VolumeCheck {
  private VolumeCheck() {}

  /** What a check found. */
  public record Report(long blocks, List<BadRange> bad) {
    public long badBlocks() {
      return bad.stream().mapToLong(BadRange::blocks).sum();
    }

    public boolean clean() {
      return bad.isEmpty();
    }
  }

  /** Checks blocks {@code [first, first + count)}. */
  public static Report check(Volume volume, long first, long count) throws IOException {
    List<Mismatch> found = new ArrayList<>();
    volume.verify(first, count, found::add);
    return new Report(count, ranges(volume, found));
  }

  public static Report check(Volume volume) throws IOException {
    return check(volume, 0, volume.geometry().blocks());
  }

  static List<BadRange> ranges(Volume volume, List<Mismatch> found) {
    List<BadRange> ranges = new ArrayList<>();
    int bs = volume.geometry().blockSize();
    int i = 0;
    while (i < found.size()) {
      Mismatch start = found.get(i);
      int j = i;
      while (j + 1 < found.size() && found.get(j + 1).block() == found.get(j).block() + 1) {
        j++;
      }
      long last = found.get(j).block();
      ranges.add(
          new BadRange(
              start.block(), last, new ByteRange(start.block() * bs, (last + 1) * bs), start));
      i = j + 1;
    }
    return ranges;
  }
}
