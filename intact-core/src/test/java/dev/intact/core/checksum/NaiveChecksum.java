package dev.intact.core.checksum;

import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The definitions of checksums.md taken literally: every byte in memory, every block hashed, no
 * shortcut. The reference the engine must equal.
 */
final class NaiveChecksum {
  private NaiveChecksum() {}

  static HashCode of(ChecksumType type, byte[] data) {
    return switch (type) {
      case WholeStream w -> w.algorithm().hash(data);
      case BlockHashList b -> {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (int off = 0; off < data.length; off += b.blockSize()) {
          byte[] block = Arrays.copyOfRange(data, off, Math.min(data.length, off + b.blockSize()));
          list.writeBytes(b.inner().hash(block).toBytes());
        }
        if (b.construction() == BlockHashList.Construction.BLKHASH) {
          long length = data.length;
          for (int i = 0; i < 8; i++) {
            list.write((int) (length >>> (8 * i)) & 0xff);
          }
        }
        Hasher outer = b.inner().newHasher();
        byte[] bytes = list.toByteArray();
        yield outer.update(bytes, 0, bytes.length).finish();
      }
    };
  }
}
