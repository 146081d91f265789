package dev.intact.cli.volume;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** Sizes with binary suffixes ({@code 4K}, {@code 64M}, {@code 1G}, {@code 2T}) for picocli. */
final class Sizes implements ITypeConverter<Long> {
  @Override
  public Long convert(String text) {
    String s = text.strip().toUpperCase(Locale.ROOT);
    if (s.endsWith("IB")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("B") && s.length() > 1) {
      s = s.substring(0, s.length() - 1);
    }
    int shift = 0;
    int unit = s.isEmpty() ? -1 : "KMGTP".indexOf(s.charAt(s.length() - 1));
    if (unit >= 0) {
      shift = 10 * (unit + 1);
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 18) {
      throw new IllegalArgumentException("'" + text + "' is not a size (bytes, or 4K, 64M, 1G)");
    }
    long v = Long.parseLong(s);
    if (v > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return v << shift;
  }
}
