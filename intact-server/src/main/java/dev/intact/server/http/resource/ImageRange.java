package dev.intact.server.http.resource;

import dev.intact.core.image.ByteRange;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;

/**
 * The one check of a byte range a request names against the image's size, and its one message:
 * {@code WHAT [start, end) is past the end of the image (size N bytes)}, a 416. Overflowing ends
 * are caught before any arithmetic can wrap.
 */
final class ImageRange {
  private ImageRange() {}

  /**
   * {@code [start, start + length)}; a negative {@code length} means "to the end of the image".
   *
   * @throws HttpError 416 if the range reaches past {@code size}
   */
  static ByteRange ofLength(String what, long start, long length, long size) {
    if (start > size || (length >= 0 && length > size - start)) {
      throw outside(what, start, length < 0 ? "end" : end(start, length), size, "past the end of");
    }
    return new ByteRange(start, length < 0 ? size : start + length);
  }

  /**
   * {@code [start, end)} as Coriolis's checksum jobs name it.
   *
   * @throws HttpError 416 if it is not a range within {@code size}
   */
  static ByteRange ofEnd(String what, long start, long end, long size) {
    if (start > end || end > size) {
      throw outside(what, start, String.valueOf(end), size, "outside");
    }
    return new ByteRange(start, end);
  }

  /** The {@code start} and {@code length} query parameters, defaulting to the whole image. */
  static ByteRange fromQuery(Exchange ex, long size) {
    return ofLength("range", ex.queryLong("start", 0), ex.queryLong("length", -1), size);
  }

  private static String end(long start, long length) {
    return length > Long.MAX_VALUE - start ? "2^63 or more" : String.valueOf(start + length);
  }

  private static HttpError outside(String what, long start, String end, long size, String where) {
    return HttpError.rangeNotSatisfiable(
        what
            + " ["
            + start
            + ", "
            + end
            + ") is "
            + where
            + " the image (size "
            + size
            + " bytes)");
  }
}
