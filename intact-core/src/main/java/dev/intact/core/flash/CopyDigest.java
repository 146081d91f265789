package dev.intact.core.flash;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * What a range is compared by between writing it and reading it back: CRC-32C and CRC-32 (two
 * different polynomials, both JDK intrinsics at many GB/s) of the very buffers that passed the
 * bmap's cryptographic checksum. The medium is not an adversary: what read-back must catch is
 * flipped bits, dropped or misplaced writes and stale blocks, which two independent 32-bit CRCs
 * miss with a probability of about 2^-64 (and every burst up to 32 bits, never). Hashing the
 * read-back with SHA-256 would double the CPU a flash costs for no better proof.
 */
final class CopyDigest implements HashAlgorithm {
  static final CopyDigest INSTANCE = new CopyDigest();

  private CopyDigest() {}

  @Override
  public String name() {
    return "crc32c+crc32";
  }

  @Override
  public List<String> aliases() {
    return List.of();
  }

  @Override
  public int digestLength() {
    return 8;
  }

  @Override
  public Hasher newHasher() {
    return new Hasher() {
      private final CRC32C c = new CRC32C();
      private final CRC32 z = new CRC32();

      @Override
      public Hasher update(byte[] input, int offset, int length) {
        c.update(input, offset, length);
        z.update(input, offset, length);
        return this;
      }

      /** A direct buffer is hashed where it lies (both CRCs are intrinsics on its address). */
      @Override
      public Hasher update(ByteBuffer input) {
        c.update(input.duplicate());
        z.update(input);
        return this;
      }

      @Override
      public void finishInto(byte[] out, int offset) {
        long v = (c.getValue() << 32) | z.getValue();
        for (int i = 7; i >= 0; i--) {
          out[offset + i] = (byte) v;
          v >>>= 8;
        }
        c.reset();
        z.reset();
      }

      @Override
      public HashCode finish() {
        byte[] out = new byte[8];
        finishInto(out, 0);
        return HashCode.of(out);
      }
    };
  }
}
