package dev.intact.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;

/**
 * Byte counts as users type them: plain bytes or a binary suffix ({@code 64K}, {@code 4M}, {@code
 * 1G}, {@code 2T}; {@code KiB}/{@code MiB}/... are accepted too). {@code 4MB} is refused, naming
 * both readings: tools disagree on whether it is decimal or binary.
 */
public final class ByteSize {
  private static final String SUFFIXES = "KMGTPE";

  private ByteSize() {}

  /**
   * Parses a size.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static long parse(String text) {
    String s = text.strip();
    String upper = s.toUpperCase(Locale.ROOT);
    if (upper.endsWith("IB")) {
      upper = upper.substring(0, upper.length() - 2);
    } else if (upper.endsWith("B")
        && upper.length() > 1
        && SUFFIXES.indexOf(upper.charAt(upper.length() - 2)) >= 0) {
      // 4MB is 4,000,000 bytes to some tools and 4 MiB to others: never guess which was meant.
      String number = s.substring(0, s.length() - 2);
      char unit = upper.charAt(upper.length() - 2);
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is ambiguous: write "
              + number
              + unit
              + " or "
              + number
              + unit
              + "iB for binary units (1"
              + unit
              + " = "
              + (1L << (10 * (SUFFIXES.indexOf(unit) + 1)))
              + " bytes), or the number of bytes");
    }
    int shift = 0;
    if (!upper.isEmpty()) {
      int unit = SUFFIXES.indexOf(upper.charAt(upper.length() - 1));
      if (unit >= 0) {
        shift = 10 * (unit + 1);
        upper = upper.substring(0, upper.length() - 1);
      }
    }
    if (upper.isEmpty() || !upper.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (use bytes or a suffix: 64K, 4M, 1G)");
    }
    long value;
    try {
      value = Long.parseLong(upper);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large", e);
    }
    if (shift > 0 && value > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return value << shift;
  }

  /** The shortest exact form: {@code 65536} prints as {@code 64K}, {@code 1000} as {@code 1000}. */
  public static String format(long bytes) {
    int unit = -1;
    long v = bytes;
    while (v != 0 && (v & 1023) == 0 && unit < SUFFIXES.length() - 1) {
      v >>= 10;
      unit++;
    }
    return unit < 0 ? Long.toString(bytes) : v + String.valueOf(SUFFIXES.charAt(unit));
  }

  /** For picocli options of sizes: {@code --block-size 4M}, {@code --size 1G}. */
  public static final class Converter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
