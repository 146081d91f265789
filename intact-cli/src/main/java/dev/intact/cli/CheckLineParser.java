package dev.intact.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the lines of a sum file the way {@code sha256sum -c} does, and more: BSD-style tag lines
 * name their own algorithm (peer spellings and Intact's, see {@link TagNames}), and the JSON lines
 * {@code intact sum --json} writes are read back with their block size and range.
 *
 * <p>Untagged lines ({@code HEX NAME}, {@code HEX *NAME}) hold the default type (from {@code -a}).
 * As in coreutils, the first untagged line decides whether the file uses the two-character
 * separator or {@code md5 -r}'s single space, and later lines may not mix the two.
 */
final class CheckLineParser {
  private final ChecksumType defaultType;
  private final boolean readingStdin;

  /** -1 undecided, 0 GNU "HEX NAME", 1 BSD reversed "HEX NAME" (as in coreutils). */
  private int bsdReversed = -1;

  /**
   * @param defaultType the type of untagged lines
   * @param readingStdin whether the sum file is standard input, so no line may name {@code -}
   */
  CheckLineParser(ChecksumType defaultType, boolean readingStdin) {
    this.defaultType = defaultType;
    this.readingStdin = readingStdin;
  }

  /**
   * Parses one line (without its newline).
   *
   * @return empty for lines that hold nothing (comments, blank lines)
   * @throws MalformedLineException saying why the line is not a checksum line
   */
  Optional<CheckEntry> parse(String rawLine) throws MalformedLineException {
    if (rawLine.startsWith("#")) {
      return Optional.empty();
    }
    String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
    if (line.isEmpty()) {
      return Optional.empty();
    }
    int i = 0;
    while (i < line.length() && isWhite(line.charAt(i))) {
      i++;
    }
    boolean escaped = i < line.length() && line.charAt(i) == '\\';
    if (escaped) {
      i++;
    }
    CheckEntry entry;
    if (!escaped && i < line.length() && line.charAt(i) == '{') {
      entry = parseJson(line.substring(i));
    } else {
      CheckEntry tagged = parseTagged(line, i, escaped);
      entry = tagged != null ? tagged : parseUntagged(line, i, escaped);
    }
    if (readingStdin && entry.file().equals("-")) {
      throw new MalformedLineException("names '-' while the sum file itself is standard input");
    }
    return Optional.of(entry);
  }

  /** {@code TAG (NAME) = HEX}; null when the line does not have that shape. */
  private static CheckEntry parseTagged(String line, int from, boolean escaped)
      throws MalformedLineException {
    int i = from;
    while (i < line.length() && isTagChar(line.charAt(i))) {
      i++;
    }
    if (i == from) {
      return null;
    }
    String tag = line.substring(from, i);
    while (i < line.length() && line.charAt(i) == ' ') {
      i++; // rhash --bsd pads short names: "MD5   (f) = ..."
    }
    if (i >= line.length() || line.charAt(i) != '(') {
      return null;
    }
    int nameStart = i + 1;
    int close = line.lastIndexOf(')');
    if (close < nameStart) {
      return null;
    }
    int j = close + 1;
    if (j < line.length() && line.charAt(j) == ' ') {
      j++;
    }
    if (j >= line.length() || line.charAt(j) != '=') {
      return null;
    }
    j++;
    if (j < line.length() && line.charAt(j) == ' ') {
      j++;
    }
    ChecksumType type;
    try {
      type = TagNames.parse(tag);
    } catch (IllegalArgumentException e) {
      if (tag.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return null; // "HEX  (name) = x": an untagged line whose file name looks like a tag
      }
      throw new MalformedLineException(e.getMessage(), e);
    }
    String name = fileName(line.substring(nameStart, close), escaped);
    return new CheckEntry(name, type, value(line.substring(j), type), null, false);
  }

  private CheckEntry parseUntagged(String line, int from, boolean escaped)
      throws MalformedLineException {
    int hexEnd = from + 2 * defaultType.digestLength();
    if (hexEnd + 1 >= line.length()) {
      throw new MalformedLineException(
          "not a "
              + defaultType.name()
              + " line ('HEX  NAME' with "
              + (hexEnd - from)
              + " hex digits, or 'ALG (NAME) = HEX')");
    }
    if (!isWhite(line.charAt(hexEnd))) {
      throw new MalformedLineException(
          "the checksum is not "
              + (hexEnd - from)
              + " hex digits (a "
              + defaultType.name()
              + " value) followed by a space; use -a to name the algorithm");
    }
    HashCode expected = value(line.substring(from, hexEnd), defaultType);
    int i = hexEnd + 1;
    char marker = line.charAt(i);
    if (line.length() - i == 1 || (marker != ' ' && marker != '*')) {
      if (bsdReversed == 0) {
        throw new MalformedLineException(
            "'HEX NAME' with one space, after lines with two (mixed formats are refused)");
      }
      bsdReversed = 1;
    } else if (bsdReversed != 1) {
      bsdReversed = 0;
      i++;
    }
    return new CheckEntry(fileName(line.substring(i), escaped), defaultType, expected, null, true);
  }

  private static CheckEntry parseJson(String json) throws MalformedLineException {
    SumRecord r;
    try {
      r = Reader.READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new MalformedLineException("bad JSON record: " + e.getOriginalMessage(), e);
    }
    if (r.algorithm() == null || r.checksum() == null || r.file() == null) {
      throw new MalformedLineException(
          "JSON record lacks one of \"algorithm\", \"checksum\", \"file\"");
    }
    ChecksumType type;
    RangeSpec range;
    try {
      type =
          ChecksumType.parse(
              r.algorithm(),
              r.blockSize() == null ? OptionalLong.empty() : OptionalLong.of(r.blockSize()));
      range =
          r.range() == null
              ? null
              : new RangeSpec(r.range().start(), OptionalLong.of(r.range().end()));
    } catch (IllegalArgumentException e) {
      throw new MalformedLineException(e.getMessage(), e);
    }
    return new CheckEntry(r.file(), type, value(r.checksum(), type), range, false);
  }

  private static HashCode value(String hex, ChecksumType type) throws MalformedLineException {
    try {
      return HashCode.parse(hex, type.digestLength(), false);
    } catch (IllegalArgumentException e) {
      throw new MalformedLineException(e.getMessage() + " for " + type.name(), e);
    }
  }

  private static String fileName(String text, boolean escaped) throws MalformedLineException {
    if (text.isEmpty()) {
      throw new MalformedLineException("no file name");
    }
    if (!escaped) {
      return text;
    }
    try {
      return FileNames.unescape(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedLineException(e.getMessage(), e);
    }
  }

  private static boolean isWhite(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isTagChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == ':'
        || c == '/';
  }

  /** Jackson is loaded only when a JSON line is met. */
  private static final class Reader {
    static final ObjectReader READER =
        OutputFormat.Json.MAPPER
            .readerFor(SumRecord.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
