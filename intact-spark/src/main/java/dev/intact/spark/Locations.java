package dev.intact.spark;

/**
 * Where an input lives: a local/POSIX path (no scheme, or {@code file:}), read with intact-core's
 * sparse-aware native reads and carrying records in its extended attributes; or a URI of another
 * Hadoop filesystem ({@code hdfs://}, {@code s3a://}, ...), read through Hadoop's {@code
 * FileSystem} API.
 */
final class Locations {
  private Locations() {}

  /** Whether {@code name} is a local path (no URI scheme other than {@code file}). */
  static boolean isLocal(String name) {
    String scheme = scheme(name);
    return scheme == null || scheme.equals("file");
  }

  /** The local path {@code name} names ({@code file:///x} is {@code /x}). */
  static java.nio.file.Path local(String name) {
    return "file".equals(scheme(name))
        ? java.nio.file.Path.of(new org.apache.hadoop.fs.Path(name).toUri().getPath())
        : java.nio.file.Path.of(name);
  }

  /**
   * The scheme of a URI like {@code hdfs://nn/x}, or null for a plain path. A path with a colon in
   * a name ({@code ./a:b}, {@code /x/y:z}) has none: a scheme (RFC 3986: a letter, then letters,
   * digits, {@code + - .}) comes first and is followed by {@code :/}. The rest is not parsed: a
   * Hadoop path may hold spaces, which {@link java.net.URI} refuses.
   */
  private static String scheme(String name) {
    int colon = name.indexOf(':');
    if (colon < 1 || !name.startsWith(":/", colon) || !Character.isLetter(name.charAt(0))) {
      return null;
    }
    for (int i = 1; i < colon; i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
        return null;
      }
    }
    return name.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
  }
}
