package dev.intact.core.flash;

import dev.intact.core.bmap.BmapRange;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import java.util.Optional;

/**
 * One unit of flashing and verification: a bmap range, or (without a bmap) a fixed-size segment of
 * the image.
 *
 * @param label how messages name it ({@code blocks 64-66} or {@code bytes [0, 16777216)})
 * @param expected the source checksum from the bmap, when there is one
 */
public record FlashRange(int index, ByteRange bytes, String label, Optional<HashCode> expected) {

  static FlashRange of(int index, BmapRange r, int blockSize, long imageSize) {
    return new FlashRange(index, r.bytes(blockSize, imageSize), r.toString(), r.checksum());
  }

  static FlashRange segment(int index, long start, long end) {
    ByteRange b = new ByteRange(start, end);
    return new FlashRange(index, b, "bytes " + b, Optional.empty());
  }

  public long start() {
    return bytes.start();
  }

  public long end() {
    return bytes.end();
  }

  /** The label with the byte range, for failure messages. */
  public String describe() {
    return label.startsWith("bytes ") ? label : label + " (bytes " + bytes + ")";
  }
}
