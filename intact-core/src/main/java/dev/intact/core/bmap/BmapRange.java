package dev.intact.core.bmap;

import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import java.util.Optional;

/**
 * A run of mapped blocks, {@code first} to {@code last} inclusive (0-based), with the checksum of
 * its bytes when the bmap has one. The checksum covers the image bytes {@code [first*bs,
 * min((last+1)*bs, ImageSize))}: the last block of an image is clipped to the image size.
 */
public record BmapRange(long first, long last, Optional<HashCode> checksum) {

  public BmapRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("invalid block range " + first + "-" + last);
    }
  }

  public static BmapRange of(long first, long last, HashCode checksum) {
    return new BmapRange(first, last, Optional.ofNullable(checksum));
  }

  public long blockCount() {
    return last - first + 1;
  }

  /** The image bytes this range covers, the last block clipped to {@code imageSize}. */
  public ByteRange bytes(int blockSize, long imageSize) {
    long start = first * blockSize;
    long end = Math.min(Math.multiplyExact(last + 1, (long) blockSize), imageSize);
    return new ByteRange(start, end);
  }

  /** bmaptool's text form: {@code first-last}, or {@code first} for a single block. */
  public String blocksText() {
    return first == last ? Long.toString(first) : first + "-" + last;
  }

  @Override
  public String toString() {
    return "blocks " + blocksText();
  }
}
