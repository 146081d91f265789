package dev.intact.core.checksum;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Jazzer fuzz target for {@link ChecksumType#parse}, which reads the algorithm and block size users
 * type ({@code -a imageio:sha1 --block-size 64K}) and clients send. A normal test run replays the
 * committed corpus in {@code
 * src/test/resources/dev/intact/core/checksum/ChecksumTypeFuzzTestInputs}; {@code scripts/fuzz}
 * fuzzes for real. The only acceptable failure is {@link IllegalArgumentException}.
 */
class ChecksumTypeFuzzTest {

  /**
   * Input: a flag byte (bit 0: a block size follows), the block size as 8 big-endian bytes if
   * flagged, then the algorithm name (UTF-8).
   */
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    if (!in.hasRemaining()) {
      return;
    }
    boolean sized = (in.get() & 1) != 0;
    if (sized && in.remaining() < Long.BYTES) {
      return;
    }
    OptionalLong blockSize = sized ? OptionalLong.of(in.getLong()) : OptionalLong.empty();
    String name = StandardCharsets.UTF_8.decode(in).toString();
    ChecksumType type;
    try {
      type = ChecksumType.parse(name, blockSize);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (blockSize.isPresent()
        && !(type instanceof BlockHashList list && list.blockSize() == blockSize.getAsLong())) {
      throw new AssertionError(
          "'" + name + "' with block size " + blockSize.getAsLong() + " parsed as " + type);
    }
    OptionalLong own =
        type instanceof BlockHashList list
            ? OptionalLong.of(list.blockSize())
            : OptionalLong.empty();
    if (!ChecksumType.parse(type.name(), own).equals(type)) {
      throw new AssertionError(type.name() + " does not parse back to " + type);
    }
  }
}
