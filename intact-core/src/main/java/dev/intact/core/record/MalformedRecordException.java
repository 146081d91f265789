package dev.intact.core.record;

import java.io.IOException;

/**
 * A stored checksum record that cannot be trusted as a record at all: truncated, oversized, of an
 * unknown version, named for another algorithm, or failing its own check. Never a mismatch: the
 * file's data may be fine, but the record says nothing about it.
 */
public final class MalformedRecordException extends IOException {
  private final String attribute;

  public MalformedRecordException(String attribute, String reason) {
    super(attribute + ": " + reason);
    this.attribute = attribute;
  }

  /** Where the record was: an attribute name or a manifest line. */
  public String attribute() {
    return attribute;
  }
}
