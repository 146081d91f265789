package dev.intact.core.flash;

import dev.intact.core.hash.HashCode;
import java.lang.foreign.MemorySegment;

/**
 * Part of a range on its way through a pass; {@code completed} is set on a range's last part. The
 * buffer (native, aligned for O_DIRECT) is handed from stage to stage, never shared; its first
 * {@code length} bytes are the data.
 *
 * @param digest the copy digest of the completed range, once hashed
 * @param problem why the completed range failed, if it did
 */
record Chunk(
    long position,
    MemorySegment buf,
    int length,
    FlashRange completed,
    HashCode digest,
    RangeFailure problem) {

  Chunk(long position, MemorySegment buf, int length, FlashRange completed) {
    this(position, buf, length, completed, null, null);
  }

  /** The data: the buffer's first {@code length} bytes. */
  MemorySegment data() {
    return buf.asSlice(0, length);
  }

  Chunk withDigest(HashCode d, RangeFailure p) {
    return new Chunk(position, buf, length, completed, d, p);
  }
}
