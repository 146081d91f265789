package dev.intact.core.hash;

import java.util.List;
import java.util.function.Supplier;
import java.util.zip.Checksum;

/**
 * A 32-bit checksum the JDK provides as a {@link Checksum} (CRC32, CRC32C, Adler32 intrinsics).
 *
 * <p>{@code padsShortText}: whether values written without their leading zeros are accepted, as
 * xrdcp writes adler32 and crc32 values.
 */
record ZipChecksumAlgorithm(
    String name, List<String> aliases, Supplier<Checksum> factory, boolean padsShortText)
    implements HashAlgorithm {

  ZipChecksumAlgorithm {
    aliases = List.copyOf(aliases);
  }

  @Override
  public int digestLength() {
    return 4;
  }

  @Override
  public HashCode parse(String text) {
    return HashCode.parse(text, 4, padsShortText);
  }

  @Override
  public Hasher newHasher() {
    return new ChecksumHasher(factory.get());
  }

  private static final class ChecksumHasher implements Hasher {
    private final Checksum checksum;

    ChecksumHasher(Checksum checksum) {
      this.checksum = checksum;
    }

    @Override
    public Hasher update(byte[] input, int offset, int length) {
      checksum.update(input, offset, length);
      return this;
    }

    @Override
    public Hasher update(java.nio.ByteBuffer input) {
      checksum.update(input); // the JDK's intrinsic handles direct buffers without a copy
      return this;
    }

    @Override
    public boolean hashesDirectBuffersInPlace() {
      return true;
    }

    @Override
    public void finishInto(byte[] out, int offset) {
      int v = (int) checksum.getValue();
      out[offset] = (byte) (v >>> 24);
      out[offset + 1] = (byte) (v >>> 16);
      out[offset + 2] = (byte) (v >>> 8);
      out[offset + 3] = (byte) v;
      checksum.reset();
    }

    @Override
    public HashCode finish() {
      byte[] out = new byte[4];
      finishInto(out, 0);
      return HashCode.of(out);
    }
  }
}
