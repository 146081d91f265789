package dev.intact.cli;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.RangeOutOfBoundsException;
import java.util.OptionalLong;

/**
 * A range as typed on the command line, {@code START:END}, before the image size is known. An empty
 * END means "to the end" (Coriolis's {@code end_offset = 0}); an empty START means 0.
 */
public record RangeSpec(long start, OptionalLong end) {

  public RangeSpec {
    if (start < 0) {
      throw new IllegalArgumentException("range start " + start + " is negative");
    }
    if (end.isPresent() && end.getAsLong() < start) {
      throw new IllegalArgumentException(
          "range end " + end.getAsLong() + " is before its start " + start);
    }
  }

  /**
   * Parses {@code START:END} with sizes such as {@code 1G:2G}, {@code 4M:} or {@code :64K}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RangeSpec parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a range: use START:END, e.g. 0:1G, or 4M: for the rest");
    }
    String start = text.substring(0, colon).strip();
    String end = text.substring(colon + 1).strip();
    return new RangeSpec(
        start.isEmpty() ? 0 : ByteSize.parse(start),
        end.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ByteSize.parse(end)));
  }

  /**
   * The concrete range within an image of {@code size} bytes.
   *
   * @throws RangeOutOfBoundsException if the range reaches past the end
   */
  public ByteRange resolve(long size, String imageName) {
    long e = end.orElse(Math.max(size, start));
    return new ByteRange(start, e).checkWithin(size, imageName);
  }

  @Override
  public String toString() {
    return start + ":" + (end.isPresent() ? Long.toString(end.getAsLong()) : "");
  }
}
