package dev.intact.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** How {@code intact sum} prints a result line. */
enum OutputFormat {
  /** {@code HEX NAME}, exactly as {@code sha256sum} prints it. */
  GNU,
  /** {@code ALG (NAME) = HEX}, as {@code sha256sum --tag} prints it. */
  TAG,
  /** One JSON object per line (JSON Lines). */
  JSON;

  String line(SumResult r) {
    String hex = r.checksum().value().toHex();
    return switch (this) {
      case GNU -> prefix(r.file()) + hex + "  " + name(r.file());
      case TAG ->
          prefix(r.file())
              + TagNames.tag(r.checksum().type())
              + " ("
              + name(r.file())
              + ") = "
              + hex;
      case JSON -> Json.write(SumRecord.of(r.checksum(), r.range(), r.file()));
    };
  }

  private static String prefix(String file) {
    return FileNames.needsEscape(file) ? "\\" : "";
  }

  private static String name(String file) {
    return FileNames.needsEscape(file) ? FileNames.escape(file) : file;
  }

  /** Jackson is loaded only when JSON is asked for: it costs start-up time. */
  static final class Json {
    /**
     * Non-ASCII is escaped: a file name's bytes that are not UTF-8 are lone surrogates ({@link
     * FileNames#decode}), written as {@code "\\udcff"} and read back to the same bytes, where raw
     * output would have to replace them.
     */
    static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private Json() {}

    static String write(Object record) {
      try {
        return MAPPER.writeValueAsString(record);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a JSON record: " + e.getOriginalMessage(), e);
      }
    }
  }
}
