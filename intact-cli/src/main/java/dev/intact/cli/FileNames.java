package dev.intact.cli;

/**
 * The escaping coreutils applies to file names in sum lines: a name containing a backslash, a
 * newline or a carriage return is written with those escaped, and the whole line is marked by a
 * leading backslash so {@code sha256sum -c} (and {@code intact sum -c}) reads it back exactly.
 */
final class FileNames {
  private FileNames() {}

  static boolean needsEscape(String name) {
    return name.indexOf('\\') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
  }

  static String escape(String name) {
    StringBuilder b = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Reverses {@link #escape}.
   *
   * @throws IllegalArgumentException for a backslash followed by anything else (coreutils rejects
   *     such lines as improperly formatted)
   */
  static String unescape(String escaped) {
    StringBuilder b = new StringBuilder(escaped.length());
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i == escaped.length()) {
        throw new IllegalArgumentException("file name ends with a lone backslash");
      }
      switch (escaped.charAt(i)) {
        case '\\' -> b.append('\\');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        default ->
            throw new IllegalArgumentException(
                "file name has an unknown escape '\\" + escaped.charAt(i) + "'");
      }
    }
    return b.toString();
  }
}
