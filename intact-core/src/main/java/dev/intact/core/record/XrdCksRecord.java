package dev.intact.core.record;

import dev.intact.core.hash.HashCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One XRootD checksum record, the value of extended attribute {@code user.XrdCks.<name>}: 96 bytes,
 * big-endian — name (16, NUL-padded ASCII), fmTime (8: the file's mtime in seconds when the value
 * was computed), csTime (4: computation time minus fmTime), 3 reserved, value length (1), value
 * (64, zero-padded). The layout is the one Debian's XRootD 5.5.3 writes (docs/records.md).
 *
 * <p>Decoding is stricter than XRootD: XRootD takes a 95-byte value and trusts a length byte that
 * disagrees with its algorithm; Intact refuses both, so a damaged record is reported, not trusted.
 */
public record XrdCksRecord(String name, long fmTime, int csTime, HashCode value) {
  /** Size of the attribute value. */
  public static final int SIZE = 96;

  /** Longest name the record holds (the 16th byte stays NUL). */
  public static final int MAX_NAME = 15;

  /** Longest value the record holds. */
  public static final int MAX_VALUE = 64;

  /** Prefix of the attribute names XRootD uses. */
  public static final String ATTRIBUTE_PREFIX = "user.XrdCks.";

  private static final int NAME_FIELD = 16;
  private static final int LENGTH_OFFSET = 31;
  private static final int VALUE_OFFSET = 32;

  public XrdCksRecord {
    if (name.isEmpty() || name.length() > MAX_NAME || !isPlainAscii(name)) {
      throw new IllegalArgumentException(
          "XRootD checksum names are 1 to " + MAX_NAME + " printable ASCII characters");
    }
    if (value.length() < 1 || value.length() > MAX_VALUE) {
      throw new IllegalArgumentException(
          "XRootD checksum values are 1 to " + MAX_VALUE + " bytes, not " + value.length());
    }
  }

  /** The attribute this record is stored under: {@code user.XrdCks.adler32}. */
  public String attributeName() {
    return ATTRIBUTE_PREFIX + name;
  }

  /** The 96-byte attribute value. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.put(name.getBytes(StandardCharsets.US_ASCII));
    b.position(NAME_FIELD);
    b.putLong(fmTime);
    b.putInt(csTime);
    b.position(LENGTH_OFFSET);
    b.put((byte) value.length());
    b.put(value.toBytes());
    return b.array();
  }

  /**
   * Decodes the value of attribute {@code user.XrdCks.<expectedName>}.
   *
   * @throws MalformedRecordException naming the attribute and what is wrong: size, name, length
   */
  public static XrdCksRecord decode(String expectedName, byte[] raw)
      throws MalformedRecordException {
    String attribute = ATTRIBUTE_PREFIX + expectedName;
    if (raw.length != SIZE) {
      throw new MalformedRecordException(
          attribute,
          (raw.length < SIZE ? "truncated" : "oversized")
              + " XRootD record: "
              + raw.length
              + " bytes, expected "
              + SIZE);
    }
    int end = 0;
    while (end < NAME_FIELD && raw[end] != 0) {
      end++;
    }
    if (end == 0 || end == NAME_FIELD) {
      throw new MalformedRecordException(
          attribute, end == 0 ? "XRootD record has no name" : "XRootD record name is not ended");
    }
    for (int i = end; i < NAME_FIELD; i++) {
      if (raw[i] != 0) {
        throw new MalformedRecordException(attribute, "XRootD record name is not NUL-padded");
      }
    }
    byte[] nameBytes = Arrays.copyOf(raw, end);
    for (byte c : nameBytes) {
      if (c < 0x21 || c > 0x7e) {
        throw new MalformedRecordException(attribute, "XRootD record name is not ASCII text");
      }
    }
    String name = new String(nameBytes, StandardCharsets.US_ASCII);
    if (!name.equals(expectedName)) {
      throw new MalformedRecordException(
          attribute, "XRootD record is named '" + name + "', not '" + expectedName + "'");
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    long fmTime = b.getLong(NAME_FIELD);
    int csTime = b.getInt(NAME_FIELD + 8);
    int length = raw[LENGTH_OFFSET] & 0xff;
    if (length < 1 || length > MAX_VALUE) {
      throw new MalformedRecordException(
          attribute, "XRootD record value length " + length + " is not within 1-" + MAX_VALUE);
    }
    for (int i = VALUE_OFFSET + length; i < SIZE; i++) {
      if (raw[i] != 0) {
        throw new MalformedRecordException(
            attribute, "XRootD record has data past its " + length + "-byte value");
      }
    }
    HashCode value = HashCode.of(Arrays.copyOfRange(raw, VALUE_OFFSET, VALUE_OFFSET + length));
    return new XrdCksRecord(name, fmTime, csTime, value);
  }

  private static boolean isPlainAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
