package dev.intact.core.record;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;

/**
 * A checksum found stored with a file, in Intact's terms (type and value as Intact computes them),
 * with what it was made for. XRootD records know only the mtime's seconds ({@code size} and {@code
 * mtimeNanos} are then -1); Intact's and manifests' know size and nanoseconds too.
 *
 * @param where the attribute name or manifest line it came from, for messages
 */
public record StoredRecord(
    ChecksumType type,
    HashCode value,
    Origin origin,
    String where,
    long size,
    long mtimeSeconds,
    int mtimeNanos) {

  /** Where records live. */
  public enum Origin {
    /** {@code user.XrdCks.<name>}, readable by XRootD. */
    XROOTD,
    /** {@code user.intact.cks.<type>}. */
    INTACT,
    /** A line of a manifest file. */
    MANIFEST
  }

  /** Why the record does not describe the file as it is now; null if it does. */
  public String staleReason(FileStamp now) {
    if (mtimeSeconds != now.mtimeSeconds() || (mtimeNanos >= 0 && mtimeNanos != now.mtimeNanos())) {
      String made = mtimeNanos >= 0 ? mtimeSeconds + "." + pad(mtimeNanos) : mtimeSeconds + "";
      String is = mtimeNanos >= 0 ? now.mtimeText() : now.mtimeSeconds() + "";
      return "recorded for mtime " + made + ", file has " + is;
    }
    if (size >= 0 && size != now.size()) {
      return "recorded for size " + size + ", file has " + now.size();
    }
    return null;
  }

  public boolean isStaleFor(FileStamp now) {
    return staleReason(now) != null;
  }

  private static String pad(int nanos) {
    return String.format("%09d", nanos);
  }
}
