package dev.intact.core.flash;

import dev.intact.core.hash.HashCode;

/**
 * Part of a range on its way through a pass; {@code completed} is set on a range's last part. The
 * buffer is handed from stage to stage, never shared.
 *
 * @param digest the copy digest of the completed range, once hashed
 * @param problem why the completed range failed, if it did
 */
@SuppressWarnings("ArrayRecordComponent")
record Chunk(
    long position,
    byte[] buf,
    int length,
    FlashRange completed,
    HashCode digest,
    RangeFailure problem) {

  Chunk(long position, byte[] buf, int length, FlashRange completed) {
    this(position, buf, length, completed, null, null);
  }

  Chunk withDigest(HashCode d, RangeFailure p) {
    return new Chunk(position, buf, length, completed, d, p);
  }
}
