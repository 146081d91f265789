package dev.intact.server.http;

import dev.intact.core.image.ByteRange;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte ranges of the data API's headers: {@code Range: bytes=first-[last]} on GET and {@code
 * Content-Range: bytes first-last/*} on PUT, both inclusive of {@code last} as HTTP writes them.
 * Every refusal is an {@link HttpError} naming the header: 400 for a malformed one, 416 for one
 * outside the image.
 */
public final class RangeHeaders {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,19})-(\\d{0,19})");
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes (\\d{1,19})-(\\d{1,19})/(\\*|\\d{1,19})");

  private RangeHeaders() {}

  /**
   * The bytes a {@code Range} header asks for; suffix ({@code bytes=-n}) and multiple ranges are
   * refused, as imageio does.
   *
   * @throws HttpError 416 if malformed or outside an image of {@code size} bytes
   */
  public static ByteRange range(String header, long size) {
    Matcher m = RANGE.matcher(header.strip());
    if (!m.matches()) {
      throw HttpError.rangeNotSatisfiable(
          "Range '" + header + "' is not supported (use bytes=first-last)");
    }
    long first = number(m.group(1), "Range", header);
    long last = m.group(2).isEmpty() ? size - 1 : number(m.group(2), "Range", header);
    if (last < first || first >= size || last >= size) {
      throw HttpError.rangeNotSatisfiable(
          "Range " + header + " is outside the image (size " + size + " bytes)");
    }
    return new ByteRange(first, last + 1);
  }

  /**
   * The bytes a {@code Content-Range} header says a write covers.
   *
   * @throws HttpError 400 if malformed, 416 if past the end of an image of {@code size} bytes
   */
  public static ByteRange contentRange(String header, long size) {
    Matcher m = CONTENT_RANGE.matcher(header.strip());
    if (!m.matches()) {
      throw HttpError.badRequest("Content-Range '" + header + "' is not 'bytes first-last/*'");
    }
    long first = number(m.group(1), "Content-Range", header);
    long last = number(m.group(2), "Content-Range", header);
    if (last < first) {
      throw HttpError.badRequest("Content-Range '" + header + "' ends before it starts");
    }
    if (last >= size) {
      throw HttpError.rangeNotSatisfiable(
          "write ["
              + first
              + ", "
              + (last == Long.MAX_VALUE ? "2^63" : String.valueOf(last + 1))
              + ") is past the end of the image (size "
              + size
              + " bytes)");
    }
    return new ByteRange(first, last + 1);
  }

  /** Nineteen digits can still overflow a long: that is a malformed header, not a 500. */
  private static long number(String digits, String name, String header) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(
          name + " '" + header + "' holds a number larger than " + Long.MAX_VALUE);
    }
  }
}
