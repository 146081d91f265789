package dev.intact.cli;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The escaping coreutils applies to file names in sum lines: a name containing a backslash, a
 * newline or a carriage return is written with those escaped, and the whole line is marked by a
 * leading backslash so {@code sha256sum -c} (and {@code intact sum -c}) reads it back exactly.
 *
 * <p>File names are bytes, whatever the locale. Intact holds a name as a String by decoding its
 * bytes as UTF-8 and mapping each byte that is not part of valid UTF-8 to a lone surrogate
 * U+DC80..U+DCFF (Python's "surrogateescape"), so {@code \xff\xfe} or a Latin-1 {@code caf\xe9}
 * round-trips through arguments, sum files, output and JSON ({@code "\udcff"}) byte for byte.
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

  private static final int ESCAPE_BASE = 0xDC00;

  /** The name {@code bytes} spell (see the class comment). */
  static String decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** The name {@code bytes[offset, offset + length)} spell (see the class comment). */
  static String decode(byte[] bytes, int offset, int length) {
    if (isAscii(bytes, offset, length)) {
      return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length); // UTF-8 never makes more chars than bytes
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      for (int i = 0; i < r.length(); i++) {
        out.put((char) (ESCAPE_BASE | (in.get() & 0xFF)));
      }
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /**
   * The bytes of a name made by {@link #decode}.
   *
   * @throws IllegalArgumentException for a lone surrogate that no byte maps to
   */
  static byte[] encode(String name) {
    if (name.chars().allMatch(c -> c < 0x80)) {
      return name.getBytes(StandardCharsets.ISO_8859_1);
    }
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF) {
        b.write(c & 0xFF);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < name.length()
          && Character.isLowSurrogate(name.charAt(i + 1))) {
        b.writeBytes(name.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            String.format("a file name cannot hold the lone surrogate U+%04X", (int) c));
      } else {
        b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return b.toByteArray();
  }

  /**
   * The path a name made by {@link #decode} names. {@code Path.of(String)} would encode it with the
   * locale's charset (ASCII under {@code LC_ALL=C}) and cannot hold bytes that are not UTF-8, so
   * any other name goes through a {@code file:} URI, which carries bytes exactly.
   *
   * @throws IllegalArgumentException for a name that no bytes spell
   */
  static Path toPath(String name) {
    byte[] bytes = encode(name);
    if (isAscii(bytes, 0, bytes.length)) {
      return Path.of(name);
    }
    StringBuilder uri = new StringBuilder("file://");
    if (bytes.length == 0 || bytes[0] != '/') {
      uri.append(Path.of("").toAbsolutePath().toUri().getRawPath()); // ends with '/'
    }
    for (byte x : bytes) {
      int c = x & 0xFF;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "/-._~".indexOf(c) >= 0)) {
        uri.append((char) c);
      } else {
        uri.append('%')
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      }
    }
    return Path.of(URI.create(uri.toString()));
  }

  private static boolean isAscii(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
