package dev.intact.core.nbd.wire;

/** NBD_REPLY_TYPE_OFFSET_HOLE: {@code size} bytes at {@code offset} read as zeros. */
public record HoleChunk(long offset, long size) {
  public static final int SIZE = 12;
}
