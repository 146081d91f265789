package dev.intact.core.hash;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable checksum value: bytes, most significant first. Its text form is lowercase hex,
 * zero-padded to twice the length (the EOS/XRootD convention).
 */
public final class HashCode {
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private HashCode(byte[] bytes) {
    this.bytes = bytes;
  }

  public static HashCode of(byte[] bytes) {
    return new HashCode(bytes.clone());
  }

  /** The big-endian encoding of the low {@code length} bytes of {@code value}. */
  public static HashCode ofLong(long value, int length) {
    byte[] b = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      b[i] = (byte) value;
      value >>>= 8;
    }
    return new HashCode(b);
  }

  /**
   * Parses hex text. Upper case is accepted; text shorter than {@code length} bytes is accepted
   * only when {@code padShort} (xrdcp drops the leading zeros of adler32/crc32 values).
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static HashCode parse(String text, int length, boolean padShort) {
    String hex = text.strip();
    if (hex.isEmpty()) {
      throw new IllegalArgumentException("empty checksum value");
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new IllegalArgumentException(
            "checksum value '" + abbreviate(hex) + "' is not hexadecimal");
      }
    }
    if (hex.length() != 2 * length) {
      if (!padShort || hex.length() > 2 * length) {
        throw new IllegalArgumentException(
            "checksum value '"
                + abbreviate(hex)
                + "' has "
                + hex.length()
                + " hex digits, expected "
                + 2 * length);
      }
      hex = "0".repeat(2 * length - hex.length()) + hex;
    }
    return new HashCode(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  public int length() {
    return bytes.length;
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public String toHex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashCode other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
