package dev.intact.core.volume;

import dev.intact.core.image.Image;
import java.io.IOException;
import java.util.List;

/**
 * Rewrites the blocks of a volume that fail their tags from a good copy (an image, or another
 * volume, whose reads are verified in turn), makes them durable, and verifies them again.
 */
public final class VolumeRepair {
  private VolumeRepair() {}

  /**
   * What a repair did.
   *
   * @param before what the first check found
   * @param after what the check of the rewritten blocks found (empty when all were repaired)
   */
  public record Result(VolumeCheck.Report before, List<BadRange> after) {}

  public static Result repair(Volume volume, Image source) throws IOException {
    if (source.size() < volume.size()) {
      throw new IOException(
          source.name()
              + " has "
              + source.size()
              + " bytes, fewer than the volume's "
              + volume.size());
    }
    VolumeCheck.Report before = VolumeCheck.check(volume);
    int bs = volume.geometry().blockSize();
    byte[] block = new byte[bs];
    for (BadRange r : before.bad()) {
      for (long b = r.first(); b <= r.last(); b++) {
        source.readFully(b * bs, block, 0, bs);
        volume.write(b * bs, block, 0, bs);
      }
    }
    volume.flush();
    List<BadRange> after = new java.util.ArrayList<>();
    for (BadRange r : before.bad()) {
      after.addAll(VolumeCheck.check(volume, r.first(), r.blocks()).bad());
    }
    return new Result(before, List.copyOf(after));
  }
}
