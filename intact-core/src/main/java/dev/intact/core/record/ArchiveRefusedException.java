package dev.intact.core.record;

import java.io.IOException;

/**
 * The archive gate refused a file: a required checksum is missing, a value does not match, or the
 * copy could not be proved. The reason is worded as CTA words it ("checksum type expected=ADLER32
 * actual=NONE", "checksum value mismatch adler32 expected=... actual=...") and is what the gate
 * records on the source ({@code user.intact.archive.error}). The destination never appears.
 */
public final class ArchiveRefusedException extends IOException {
  private final String source;
  private final String reason;

  public ArchiveRefusedException(String source, String reason, Throwable cause) {
    super(source + ": not archived: " + reason, cause);
    this.source = source;
    this.reason = reason;
  }

  public String source() {
    return source;
  }

  /** The CTA-style reason alone, as recorded on the source. */
  public String reason() {
    return reason;
  }
}
