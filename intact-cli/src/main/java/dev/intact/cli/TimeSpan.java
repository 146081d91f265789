package dev.intact.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations as users type them: seconds ({@code 600}) or a number with a unit, {@code 30s}, {@code
 * 10m}, {@code 2h}, {@code 1d}, or several, {@code 1h30m}. The unit letters are those of {@code
 * timeout(1)} and {@code sleep(1)}.
 */
public final class TimeSpan {
  private TimeSpan() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the text and the forms accepted
   */
  public static Duration parse(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      throw invalid(text);
    }
    long seconds = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        throw invalid(text);
      }
      long n;
      try {
        n = Long.parseLong(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw invalid(text);
      }
      long unit = 1;
      if (i < s.length()) {
        unit =
            switch (s.charAt(i)) {
              case 's' -> 1;
              case 'm' -> 60;
              case 'h' -> 3600;
              case 'd' -> 86_400;
              default -> throw invalid(text);
            };
        i++;
      } else if (start > 0) {
        throw invalid(text); // 1h30: thirty what?
      }
      try {
        seconds = Math.addExact(seconds, Math.multiplyExact(n, unit));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
      }
    }
    return Duration.ofSeconds(seconds);
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration (use seconds or a unit: 90, 30s, 10m, 2h, 1d, 1h30m)");
  }

  /** For picocli options and parameters of type {@link Duration}. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
