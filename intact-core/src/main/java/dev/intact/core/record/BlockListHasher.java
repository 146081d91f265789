package dev.intact.core.record;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;

/**
 * A block-hash list computed as a stream, so it can share one read pass with whole-stream
 * algorithms: bytes go to the inner hasher until a block is full, whose digest then goes to the
 * outer one. Gives the value {@link dev.intact.core.checksum.ChecksumEngine} gives (it is tested
 * against it); it has no zero-block shortcut, which changes speed, never the value.
 */
final class BlockListHasher implements Hasher {
  private final BlockHashList type;
  private final Hasher inner;
  private final Hasher outer;
  private final byte[] digest;
  private long blockFill;
  private long total;

  BlockListHasher(BlockHashList type) {
    this.type = type;
    this.inner = type.inner().newHasher();
    this.outer = type.inner().newHasher();
    this.digest = new byte[type.inner().digestLength()];
  }

  @Override
  public Hasher update(byte[] input, int offset, int length) {
    total += length;
    while (length > 0) {
      int n = (int) Math.min(length, type.blockSize() - blockFill);
      inner.update(input, offset, n);
      blockFill += n;
      offset += n;
      length -= n;
      if (blockFill == type.blockSize()) {
        endBlock();
      }
    }
    return this;
  }

  private void endBlock() {
    inner.finishInto(digest, 0);
    outer.update(digest, 0, digest.length);
    blockFill = 0;
  }

  @Override
  public void finishInto(byte[] out, int offset) {
    if (blockFill > 0) {
      endBlock();
    }
    if (type.construction().appendsLength()) {
      byte[] le64 = new byte[8];
      for (int i = 0; i < 8; i++) {
        le64[i] = (byte) (total >>> (8 * i));
      }
      outer.update(le64, 0, 8);
    }
    outer.finishInto(out, offset);
    total = 0;
  }

  @Override
  public HashCode finish() {
    byte[] out = new byte[digest.length];
    finishInto(out, 0);
    return HashCode.of(out);
  }
}
