package dev.intact.core.volume;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for {@link SuperblockCodec}: a volume's first sector comes from storage anyone may
 * have written. The only acceptable failure is {@link VolumeFormatException}, and what decodes must
 * encode to the same sector.
 */
class SuperblockCodecFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] bytes) {
    Superblock sb;
    try {
      sb = SuperblockCodec.decode(bytes, "fuzz");
    } catch (VolumeFormatException e) {
      if (e.getMessage().contains("\n")) {
        throw new AssertionError("a superblock error spans lines: " + e.getMessage(), e);
      }
      return;
    }
    byte[] again = SuperblockCodec.encode(sb);
    if (!Arrays.equals(again, 0, SuperblockCodec.SIZE, bytes, 0, SuperblockCodec.SIZE)) {
      throw new AssertionError("a decoded superblock encodes to other bytes");
    }
  }
}
