package dev.intact.core.flash;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * The image source could not be read to the end: a truncated or corrupt compressed stream, an image
 * shorter or longer than its bmap says, a read error. Carries how far decoding got.
 */
public final class SourceReadException extends IOException {
  private final String source;
  private final long imageOffset;
  private final OptionalLong compressedOffset;

  public SourceReadException(
      String source,
      long imageOffset,
      OptionalLong compressedOffset,
      String problem,
      Throwable cause) {
    super(
        source
            + ": "
            + problem
            + " at image byte "
            + imageOffset
            + (compressedOffset.isPresent()
                ? " (compressed byte " + compressedOffset.getAsLong() + ")"
                : ""),
        cause);
    this.source = source;
    this.imageOffset = imageOffset;
    this.compressedOffset = compressedOffset;
  }

  public String source() {
    return source;
  }

  /** Bytes of the image (decoded) that had been read. */
  public long imageOffset() {
    return imageOffset;
  }

  /** Bytes of the compressed file that had been consumed, for a compressed source. */
  public OptionalLong compressedOffset() {
    return compressedOffset;
  }
}
