package dev.intact.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lines {@code intact sum} prints, byte for byte: {@code HEX NAME} (coreutils' escaping of
 * names holding a backslash or a line break) or, with {@code --json}, one JSON object per line with
 * the same fields in the same order and non-ASCII escaped.
 */
final class SumLines {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private SumLines() {}

  static String gnu(String file, Checksum checksum) {
    boolean escape = needsEscape(file);
    return (escape ? "\\" : "") + checksum.value().toHex() + "  " + (escape ? escape(file) : file);
  }

  static String json(String file, Checksum checksum) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", checksum.type().name());
    if (checksum.type() instanceof BlockHashList b) {
      m.put("block_size", b.blockSize());
    }
    m.put("checksum", checksum.value().toHex());
    m.put("size", checksum.size());
    m.put("file", file);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON record: " + e.getOriginalMessage(), e);
    }
  }

  private static boolean needsEscape(String name) {
    return name.indexOf('\\') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
  }

  private static String escape(String name) {
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
}
