package dev.intact.core.bmap;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.UnknownAlgorithmException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads and validates bmap files of versions 1.0–2.x.
 *
 * <p>bmap files come from the internet, so the XML parser (the JDK's StAX) runs with DTDs and
 * external entities disabled and a document type declaration is refused outright. The file's own
 * checksum is verified over its raw bytes, never over re-serialised XML. Every inconsistency is a
 * {@link BmapFormatException} naming the element and its line.
 */
public final class BmapParser {
  private static final int MAX_BMAP_BYTES = 256 << 20;
  private static final java.util.Set<String> LEAVES =
      java.util.Set.of(
          "ImageSize",
          "BlockSize",
          "BlocksCount",
          "MappedBlocksCount",
          "ChecksumType",
          "BmapFileChecksum",
          "BmapFileSHA1");

  /** The encoding an XML declaration names, as in {@code <?xml version="1.0" encoding="X"?>}. */
  private static final Pattern DECLARED_ENCODING =
      Pattern.compile(
          "\\A(?:\\xEF\\xBB\\xBF)?<\\?xml[^>]*?\\sencoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

  private BmapParser() {}

  public static Bmap parse(Path file) throws IOException, BmapFormatException {
    long size = Files.size(file);
    if (size > MAX_BMAP_BYTES) {
      throw new BmapFormatException(
          file.toString(), "", 0, "file of " + size + " bytes is too large to be a bmap");
    }
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses the raw bytes of a bmap file; {@code name} is used in messages. */
  public static Bmap parse(byte[] raw, String name) throws BmapFormatException {
    return new Reader(raw, name).read();
  }

  private static XMLInputFactory secureFactory() {
    // newDefaultFactory: the JDK's own implementation, whatever else is on the class path.
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(javax.xml.XMLConstants.ACCESS_EXTERNAL_DTD, "");
    return f;
  }

  /** A leaf element's trimmed text and where it was. */
  private record Value(String element, String text, int line) {}

  private static final class Reader {
    private final byte[] raw;
    private final String name;
    private final Map<String, Value> values = new HashMap<>();
    private final List<BmapRange> ranges = new ArrayList<>();
    private final List<Integer> rangeLines = new ArrayList<>();
    private BmapVersion version;
    private int blockMapLine;

    Reader(byte[] raw, String name) {
      this.raw = raw;
      this.name = name;
    }

    private BmapFormatException error(String element, int line, String problem) {
      return new BmapFormatException(name, element, line, problem);
    }

    /**
     * Decodes the whole file strictly in its declared encoding (UTF-8 when none is declared) before
     * StAX sees it: the JDK's StAX reports a malformed byte sequence by printing "[Fatal Error]" on
     * stderr before throwing, which would put a second, unattributed line under Intact's one-line
     * error. Found by BmapParserFuzzTest.
     */
    private void checkEncoding() throws BmapFormatException {
      Matcher m =
          DECLARED_ENCODING.matcher(
              new String(raw, 0, Math.min(raw.length, 256), StandardCharsets.ISO_8859_1));
      Charset charset = StandardCharsets.UTF_8;
      if (m.lookingAt()) {
        String declared = m.group(1);
        try {
          charset = Charset.forName(declared);
        } catch (IllegalArgumentException e) {
          throw error("", 1, "unsupported encoding \"" + declared + "\"");
        }
      }
      CharsetDecoder decoder =
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      ByteBuffer in = ByteBuffer.wrap(raw);
      CharBuffer out = CharBuffer.allocate(8192);
      int line = 1;
      while (true) {
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
          result = decoder.flush(out);
        }
        out.flip();
        while (out.hasRemaining()) {
          if (out.get() == '\n') {
            line++;
          }
        }
        out.clear();
        if (result.isError()) {
          throw error("", line, "not valid " + charset.name() + " text");
        }
        if (result.isUnderflow()) {
          return;
        }
      }
    }

    Bmap read() throws BmapFormatException {
      checkEncoding();
      List<RawRange> rawRanges = new ArrayList<>();
      try {
        XMLStreamReader x = secureFactory().createXMLStreamReader(new ByteArrayInputStream(raw));
        try {
          scan(x, rawRanges);
        } finally {
          x.close();
        }
      } catch (XMLStreamException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
        String msg = e.getMessage() == null ? "malformed XML" : e.getMessage();
        // StAX prefixes "ParseError at [row,col]:[..]\nMessage: " — keep the message only.
        int m = msg.indexOf("Message: ");
        throw new BmapFormatException(
            name, "", line, "malformed XML: " + (m >= 0 ? msg.substring(m + 9) : msg).strip(), e);
      } catch (java.util.MissingResourceException e) {
        // The JDK's StAX reports some malformed DOCTYPEs with a message key its bundle lacks
        // ("InvalidCharInDTD"), so the error escapes as this instead of XMLStreamException.
        // Found by BmapParserFuzzTest.
        throw new BmapFormatException(name, "", 0, "malformed XML: invalid DOCTYPE", e);
      }
      if (version == null) {
        throw error("bmap", 0, "no <bmap> root element");
      }

      long imageSize = number("ImageSize", true);
      long blockSizeValue = number("BlockSize", true);
      if (blockSizeValue <= 0 || blockSizeValue > (1 << 30)) {
        Value v = values.get("BlockSize");
        throw error("BlockSize", v.line(), "block size " + blockSizeValue + " is not usable");
      }
      int blockSize = (int) blockSizeValue;
      long blocksCount = number("BlocksCount", true);
      long expectedBlocks = Bmap.blocksFor(imageSize, blockSize);
      if (blocksCount != expectedBlocks) {
        throw error(
            "BlocksCount",
            values.get("BlocksCount").line(),
            blocksCount
                + " blocks is inconsistent with ImageSize "
                + imageSize
                + " and BlockSize "
                + blockSize
                + " (expected "
                + expectedBlocks
                + ")");
      }
      long mappedCount = number("MappedBlocksCount", true);

      HashAlgorithm algorithm = checksumAlgorithm();
      Optional<HashCode> fileChecksum = verifyFileChecksum(algorithm);

      String attr = version.rangeChecksumAttribute();
      long next = 0;
      long mapped = 0;
      for (RawRange rr : rawRanges) {
        BmapRange r = rr.toRange(attr, algorithm);
        if (r.first() < next) {
          throw error(
              "Range",
              rr.line,
              "blocks "
                  + r.blocksText()
                  + (ranges.isEmpty()
                      ? ""
                      : " overlap or precede the previous range " + ranges.getLast().blocksText()));
        }
        if (r.last() >= blocksCount) {
          throw error(
              "Range",
              rr.line,
              "blocks "
                  + r.blocksText()
                  + " reach past the end of the image ("
                  + blocksCount
                  + " blocks)");
        }
        ranges.add(r);
        rangeLines.add(rr.line);
        next = r.last() + 1;
        mapped += r.blockCount();
      }
      if (mapped != mappedCount) {
        throw error(
            "MappedBlocksCount",
            values.get("MappedBlocksCount").line(),
            mappedCount + " does not match the " + mapped + " blocks the ranges map");
      }
      return new Bmap(
          version, imageSize, blockSize, blocksCount, mappedCount, algorithm, fileChecksum, ranges);
    }

    private void scan(XMLStreamReader x, List<RawRange> rawRanges)
        throws XMLStreamException, BmapFormatException {
      int depth = 0;
      boolean inBlockMap = false;
      while (x.hasNext()) {
        int event = x.next();
        switch (event) {
          case XMLStreamConstants.DTD ->
              throw error(
                  "", x.getLocation().getLineNumber(), "a DOCTYPE is not allowed in a bmap");
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw error(
                  "",
                  x.getLocation().getLineNumber(),
                  "entity reference &" + x.getLocalName() + "; is not allowed in a bmap");
          case XMLStreamConstants.START_ELEMENT -> {
            String el = x.getLocalName();
            int line = x.getLocation().getLineNumber();
            if (depth == 0) {
              if (!el.equals("bmap")) {
                throw error(el, line, "the root element must be <bmap>");
              }
              version = parseVersion(x.getAttributeValue(null, "version"), line);
              depth++;
            } else if (depth == 1 && el.equals("BlockMap")) {
              inBlockMap = true;
              blockMapLine = line;
              depth++;
            } else if (depth == 2 && inBlockMap && el.equals("Range")) {
              Map<String, String> attrs = new HashMap<>();
              for (int i = 0; i < x.getAttributeCount(); i++) {
                attrs.put(x.getAttributeLocalName(i), x.getAttributeValue(i));
              }
              rawRanges.add(new RawRange(text(x, el, line), attrs, line));
            } else if (depth == 1 && LEAVES.contains(el)) {
              String text = text(x, el, line);
              if (values.putIfAbsent(el, new Value(el, text.strip(), line)) != null) {
                throw error(el, line, "appears more than once");
              }
            } else {
              // Elements a later minor version may add: skip them whole.
              skip(x);
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            if (x.getLocalName().equals("BlockMap")) {
              inBlockMap = false;
            }
            depth--;
          }
          default -> {}
        }
      }
      if (version != null && blockMapLine == 0) {
        throw error("BlockMap", 0, "missing");
      }
    }

    private String text(XMLStreamReader x, String el, int line)
        throws XMLStreamException, BmapFormatException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        int event = x.next();
        switch (event) {
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
              sb.append(x.getText());
          case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {}
          case XMLStreamConstants.END_ELEMENT -> {
            return sb.toString();
          }
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw error(el, line, "entity reference &" + x.getLocalName() + "; is not allowed");
          default -> throw error(el, line, "must contain text only");
        }
      }
    }

    private static void skip(XMLStreamReader x) throws XMLStreamException {
      int depth = 1;
      while (depth > 0) {
        int event = x.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
    }

    private BmapVersion parseVersion(String text, int line) throws BmapFormatException {
      if (text == null) {
        throw error("bmap", line, "the version attribute is missing");
      }
      String v = text.strip();
      int dot = v.indexOf('.');
      BmapVersion parsed;
      try {
        if (dot < 1 || !v.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
          throw new NumberFormatException();
        }
        parsed =
            new BmapVersion(
                Integer.parseInt(v.substring(0, dot)), Integer.parseInt(v.substring(dot + 1)));
      } catch (NumberFormatException e) {
        throw error("bmap", line, "version '" + v + "' is not major.minor");
      }
      if (parsed.major() > BmapVersion.SUPPORTED_MAJOR || parsed.major() < 1) {
        throw error(
            "bmap",
            line,
            "unsupported bmap version "
                + parsed
                + " (Intact reads versions 1.0 to "
                + BmapVersion.SUPPORTED_MAJOR
                + ".x)");
      }
      return parsed;
    }

    private long number(String element, boolean required) throws BmapFormatException {
      Value v = values.get(element);
      if (v == null) {
        if (required) {
          throw error(element, 0, "missing");
        }
        return -1;
      }
      return parseNumber(element, v.text(), v.line());
    }

    private long parseNumber(String element, String text, int line) throws BmapFormatException {
      if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
        throw error(element, line, "'" + abbreviate(text) + "' is not a non-negative number");
      }
      return Long.parseLong(text);
    }

    private HashAlgorithm checksumAlgorithm() throws BmapFormatException {
      if (!version.hasChecksumType()) {
        return Algorithms.byName("sha1");
      }
      Value v = values.get("ChecksumType");
      if (v == null) {
        throw error("ChecksumType", 0, "missing (required by version " + version + ")");
      }
      try {
        return Algorithms.byName(v.text());
      } catch (UnknownAlgorithmException e) {
        throw error("ChecksumType", v.line(), e.getMessage());
      }
    }

    private Optional<HashCode> verifyFileChecksum(HashAlgorithm algorithm)
        throws BmapFormatException {
      if (!version.hasFileChecksum()) {
        return Optional.empty();
      }
      String element = version.fileChecksumElement();
      Value v = values.get(element);
      if (v == null) {
        throw error(element, 0, "missing (required by version " + version + ")");
      }
      HashCode expected = hex(element, v.line(), v.text(), algorithm);
      byte[] needle = v.text().getBytes(StandardCharsets.US_ASCII);
      int at = indexOf(raw, needle);
      // The value was read from these bytes, so it is there unless it was written with entities.
      if (at < 0) {
        throw error(element, v.line(), "the value does not appear literally in the file");
      }
      var hasher = algorithm.newHasher();
      hasher.update(raw, 0, at);
      byte[] zeros = new byte[needle.length];
      java.util.Arrays.fill(zeros, (byte) '0');
      hasher.update(zeros, 0, zeros.length);
      hasher.update(raw, at + needle.length, raw.length - at - needle.length);
      HashCode actual = hasher.finish();
      if (!actual.equals(expected)) {
        throw error(
            element,
            v.line(),
            "checksum mismatch: the file says "
                + expected
                + " but its "
                + algorithm.name()
                + " is "
                + actual
                + " (the bmap was modified or damaged)");
      }
      return Optional.of(expected);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    private HashCode hex(String element, int line, String text, HashAlgorithm algorithm)
        throws BmapFormatException {
      try {
        return HashCode.parse(text, algorithm.digestLength(), false);
      } catch (IllegalArgumentException e) {
        throw error(element, line, e.getMessage() + " for " + algorithm.name());
      }
    }

    /** A {@code <Range>} as written, validated once the checksum type is known. */
    private final class RawRange {
      final String text;
      final Map<String, String> attrs;
      final int line;

      RawRange(String text, Map<String, String> attrs, int line) {
        this.text = text.strip();
        this.attrs = attrs;
        this.line = line;
      }

      BmapRange toRange(String checksumAttribute, HashAlgorithm algorithm)
          throws BmapFormatException {
        int dash = text.indexOf('-');
        long first;
        long last;
        if (dash < 0) {
          first = last = parseNumber("Range", text, line);
        } else {
          first = parseNumber("Range", text.substring(0, dash).strip(), line);
          last = parseNumber("Range", text.substring(dash + 1).strip(), line);
        }
        if (first > last) {
          throw error("Range", line, "first block " + first + " > last block " + last);
        }
        String sum = attrs.get(checksumAttribute);
        HashCode checksum = null;
        if (sum != null) {
          try {
            checksum = HashCode.parse(sum, algorithm.digestLength(), false);
          } catch (IllegalArgumentException e) {
            throw error(
                "Range",
                line,
                "blocks " + text + ": " + e.getMessage() + " for " + algorithm.name());
          }
        }
        return BmapRange.of(first, last, checksum);
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
