package dev.intact.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The job jar's command line: {@code COMMAND [--flag] [--option VALUE]... PATH...}. Small on
 * purpose: the job jar carries no CLI library, and Spark's own options go to spark-submit.
 */
final class Arguments {
  final String command;
  private final Map<String, String> options = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  final List<String> paths = new ArrayList<>();

  private Arguments(String command) {
    this.command = command;
  }

  /**
   * @throws UsageException naming the unknown option or the missing value
   */
  static Arguments parse(String[] args, Set<String> knownFlags, Set<String> knownOptions) {
    if (args.length == 0) {
      throw new UsageException("name a command: sum, record, verify or scrub");
    }
    Arguments a = new Arguments(args[0]);
    boolean onlyPaths = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (onlyPaths || !arg.startsWith("-") || arg.equals("-")) {
        a.paths.add(arg);
      } else if (arg.equals("--")) {
        onlyPaths = true;
      } else if (knownFlags.contains(arg)) {
        a.flags.add(arg);
      } else if (knownOptions.contains(arg)) {
        if (i + 1 == args.length) {
          throw new UsageException(arg + " needs a value");
        }
        a.options.put(arg, args[++i]);
      } else {
        throw new UsageException("unknown option '" + arg + "' for " + a.command);
      }
    }
    return a;
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  String option(String name) {
    return options.get(name);
  }

  /** A size with an optional binary suffix: 64K, 256M, 1G; null when absent. */
  long size(String name, long absent) {
    String text = options.get(name);
    if (text == null) {
      return absent;
    }
    String t = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    int shift = "KMGTP".indexOf(last);
    if (shift >= 0) {
      unit = 1L << (10 * (shift + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UsageException(name + " takes a size such as 64K or 256M, not '" + text + "'");
    }
  }

  int integer(String name, int absent) {
    String text = options.get(name);
    if (text == null) {
      return absent;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(name + " takes a number, not '" + text + "'");
    }
  }

  /** A usage error: one line, exit status 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
