package dev.intact.core.record;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether a path's text spells its name's bytes. A name is bytes; {@link Path#toString} decodes
 * them with the locale's charset and turns bytes that are not UTF-8 ({@code n\xff}) into U+FFFD, so
 * two different files can print alike. Keys kept as text (manifest names, the scrub journal) are
 * only trusted for names whose text is exact; the path's {@code file:} URI holds the bytes.
 */
final class ExactNames {
  private ExactNames() {}

  static boolean spellsItsBytes(Path path) {
    if (path.toString().chars().allMatch(c -> c > 0 && c < 0x80)) {
      return true;
    }
    Path abs = path.toAbsolutePath();
    byte[] text = abs.toString().getBytes(StandardCharsets.UTF_8);
    byte[] raw = percentDecode(abs.toUri().getRawPath());
    if (raw.length == text.length + 1 && raw[raw.length - 1] == '/') {
      raw = Arrays.copyOf(raw, text.length); // toUri marks an existing directory with a slash
    }
    return Arrays.equals(raw, text);
  }

  private static byte[] percentDecode(String raw) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        b.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        b.write(c);
      }
    }
    return b.toByteArray();
  }
}
