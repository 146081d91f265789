package dev.intact.core.flash;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a flash will do, decided before anything is written: which ranges (a bmap's, or without one
 * segments cut while reading), whether the source is verified against checksums, whether the
 * destination is read back, and what the user must be warned of.
 *
 * @param hasBmap whether a bmap names the ranges; without one the whole image is copied in segments
 *     cut as it is read
 * @param ranges the bmap's ranges in order; empty without a bmap
 * @param imageSize the image's size, or -1 while unknown (no bmap and a source of unknown size)
 * @param total bytes to write, or -1 if unknown
 * @param sourceAlgorithm the bmap's algorithm to verify the source with, or null for none
 * @param readBack whether the destination is read back and compared with what was written
 * @param growsAsWritten no bmap and a destination that takes its size from what is written: its
 *     zero blocks are skipped (it stays sparse) and its read-back waits for the end, when the tail
 *     of zeros exists
 * @param checkSourceEnd the source's size was not known up front: it is read to its end and its
 *     size checked
 */
record FlashPlan(
    boolean hasBmap,
    List<FlashRange> ranges,
    long imageSize,
    long total,
    HashAlgorithm sourceAlgorithm,
    boolean readBack,
    boolean growsAsWritten,
    boolean checkSourceEnd,
    List<String> warnings) {

  FlashPlan {
    ranges = List.copyOf(ranges);
    warnings = List.copyOf(warnings);
  }

  /**
   * @throws ImageSizeMismatchException if the source's known size is not the bmap's
   */
  static FlashPlan of(
      ImageSource source, Bmap bmap, String bmapName, WritableImage target, FlashOptions options)
      throws IOException {
    OptionalLong knownSize = source.knownSize();
    List<String> warnings = new ArrayList<>();
    List<FlashRange> ranges = new ArrayList<>();
    boolean sourceChecksAll = false;
    HashAlgorithm sourceAlgorithm = null;
    if (bmap != null) {
      if (knownSize.isPresent() && knownSize.getAsLong() != bmap.imageSize()) {
        throw new ImageSizeMismatchException(
            source.name(), knownSize.getAsLong(), bmap.imageSize(), bmapName);
      }
      for (int i = 0; i < bmap.ranges().size(); i++) {
        ranges.add(FlashRange.of(i, bmap.ranges().get(i), bmap.blockSize(), bmap.imageSize()));
      }
      long unchecked = bmap.ranges().stream().filter(r -> r.checksum().isEmpty()).count();
      if (unchecked > 0) {
        warnings.add(
            bmapName
                + " has no checksum for "
                + unchecked
                + " of its "
                + bmap.ranges().size()
                + " ranges: the source cannot be verified; the destination is read back and"
                + " compared with what was written instead");
      }
      sourceChecksAll = options.verifySource() && unchecked == 0;
      if (options.verifySource() && unchecked < bmap.ranges().size()) {
        sourceAlgorithm = bmap.checksumAlgorithm();
      }
    }
    boolean readBack =
        switch (options.readBack()) {
          case ON -> true;
          case OFF -> false;
          case AUTO -> !target.resizable() || !sourceChecksAll;
        };
    if (!readBack && !sourceChecksAll) {
      warnings.add(
          "read-back is off and the source is not verified against checksums: nothing will prove"
              + " the destination right");
    }
    return new FlashPlan(
        bmap != null,
        ranges,
        bmap != null ? bmap.imageSize() : knownSize.orElse(-1),
        bmap != null ? bmap.mappedBytes() : knownSize.orElse(-1),
        sourceAlgorithm,
        readBack,
        bmap == null && target.resizable(),
        knownSize.isEmpty(),
        warnings);
  }

  /**
   * Makes the destination hold an image of {@code size} bytes: a file is cut or grown to it (new
   * bytes are a hole); a device or any fixed-size image must be large enough.
   *
   * @throws TargetTooSmallException if it is not
   */
  static void setImageSize(WritableImage target, long size) throws IOException {
    if (target.resizable()) {
      target.resize(size);
      return;
    }
    long capacity = target.size();
    if (capacity < size) {
      throw new TargetTooSmallException(target.name(), capacity, size);
    }
  }
}
