package dev.intact.core.hash;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Jazzer fuzz target for {@link HashCode#parse}, which reads checksum values from sum files, bmap
 * files and HTTP requests. A normal test run replays the committed corpus in {@code
 * src/test/resources/dev/intact/core/hash/HashCodeFuzzTestInputs}; {@code scripts/fuzz} fuzzes for
 * real. The only acceptable failure is {@link IllegalArgumentException}.
 */
class HashCodeFuzzTest {

  /**
   * Input: one byte whose low six bits give the expected length (1..64 bytes) and whose bit 6
   * allows short values, then the text (UTF-8).
   */
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int length = (data[0] & 0x3f) + 1;
    boolean padShort = (data[0] & 0x40) != 0;
    String text = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
    HashCode value;
    try {
      value = HashCode.parse(text, length, padShort);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (value.length() != length) {
      throw new AssertionError("parsed " + value.length() + " bytes, expected " + length);
    }
    String hex = text.strip().toLowerCase(Locale.ROOT);
    String padded = "0".repeat(2 * length - hex.length()) + hex;
    if (!value.toHex().equals(padded)) {
      throw new AssertionError("'" + text + "' parsed as " + value.toHex());
    }
    if (!Arrays.equals(HashCode.parse(value.toHex(), length, false).toBytes(), value.toBytes())) {
      throw new AssertionError("hex of " + value + " does not parse back to it");
    }
  }
}
