package dev.intact.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intact.core.checksum.ChecksumType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Jazzer fuzz targets for what the CLI reads from users and from files it did not write: sum-file
 * lines ({@code intact sum -c}), sizes ({@code --block-size 64K}) and ranges ({@code --range
 * 1G:2G}). A normal test run replays the committed corpus in {@code
 * src/test/resources/dev/intact/cli/ParserFuzzTestInputs}; {@code scripts/fuzz} fuzzes for real.
 * Each parser may only refuse with its documented exception, and what it accepts must print and
 * parse back to the same value.
 */
class ParserFuzzTest {
  private static final List<ChecksumType> DEFAULT_TYPES =
      List.of(
          ChecksumType.DEFAULT,
          ChecksumType.parse("sha256", OptionalLong.empty()),
          ChecksumType.parse("md5", OptionalLong.empty()),
          ChecksumType.parse("crc32", OptionalLong.empty()),
          ChecksumType.parse("imageio", OptionalLong.empty()));

  /**
   * Input: a byte choosing the type of untagged lines (low bits) and whether the sum file is
   * standard input (bit 7), then the file's text; every line goes through one parser, as in {@code
   * -c}.
   */
  @FuzzTest(maxDuration = "60s")
  void sumFileLines(byte[] data) {
    if (data.length == 0) {
      return;
    }
    ChecksumType type = DEFAULT_TYPES.get((data[0] & 0x7f) % DEFAULT_TYPES.size());
    boolean stdin = (data[0] & 0x80) != 0;
    CheckLineParser parser = new CheckLineParser(type, stdin);
    String text = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
    for (String line : text.split("\n", -1)) {
      Optional<CheckEntry> entry;
      try {
        entry = parser.parse(line);
      } catch (MalformedLineException e) {
        continue;
      }
      entry.ifPresent(
          e -> {
            if (e.expected().length() != e.type().digestLength()) {
              throw new AssertionError(
                  "'" + line + "' gave a " + e.expected().length() + "-byte " + e.type().name());
            }
            if (stdin && e.file().equals("-")) {
              throw new AssertionError("'" + line + "' names '-' while reading standard input");
            }
          });
    }
  }

  @FuzzTest(maxDuration = "60s")
  void byteSize(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    long size;
    try {
      size = ByteSize.parse(text);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (size < 0) {
      throw new AssertionError("'" + text + "' parsed as a negative size " + size);
    }
    if (ByteSize.parse(ByteSize.format(size)) != size) {
      throw new AssertionError(size + " prints as " + ByteSize.format(size) + ", a different size");
    }
  }

  @FuzzTest(maxDuration = "60s")
  void range(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    RangeSpec range;
    try {
      range = RangeSpec.parse(text);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (!RangeSpec.parse(range.toString()).equals(range)) {
      throw new AssertionError("'" + text + "' parsed as " + range + ", which reads differently");
    }
  }
}
