package dev.intact.server.ticket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A ticket id: the bearer credential of the data URL. Its text is kept out of {@link #toString} and
 * logs ({@link #redacted}); it is looked up by a digest of its text and then compared in constant
 * time, so response timing does not leak how much of a guess was right.
 */
public final class TicketId {
  /** 32 characters of the allowed alphabet carry at least 128 bits when the id is random. */
  public static final int MIN_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] text;
  private final String lookupKey;

  private TicketId(String text) {
    this.text = text.getBytes(StandardCharsets.US_ASCII);
    this.lookupKey = digest(this.text);
  }

  /**
   * Parses an id proposed for a new ticket. UUIDs (36 characters, imageio's choice) pass.
   *
   * @throws IllegalArgumentException naming what is wrong (without echoing the id)
   */
  public static TicketId parse(String text) {
    if (text.length() < MIN_LENGTH || text.length() > 128) {
      throw new IllegalArgumentException(
          "ticket id must be "
              + MIN_LENGTH
              + " to 128 characters of random text (it is the credential), got "
              + text.length());
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '~';
      if (!ok) {
        throw new IllegalArgumentException(
            "ticket id may contain only letters, digits and - _ . ~ (character " + i + ")");
      }
    }
    return new TicketId(text);
  }

  /**
   * A fresh id: 256 random bits, base64url without padding (43 characters), never beginning with
   * '-': users paste ids into command lines ({@code intact ticket show ID}), where one in 64 would
   * otherwise be taken for an option.
   */
  public static String random() {
    byte[] b = new byte[32];
    String id;
    do {
      RANDOM.nextBytes(b);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    } while (id.charAt(0) == '-');
    return id;
  }

  /** The key to index tickets by: a digest, so map lookups do not compare the secret itself. */
  String lookupKey() {
    return lookupKey;
  }

  static String lookupKeyOf(String text) {
    return digest(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** Constant-time comparison with the text a client presented. */
  boolean matches(String presented) {
    return MessageDigest.isEqual(text, presented.getBytes(StandardCharsets.US_ASCII));
  }

  public String text() {
    return new String(text, StandardCharsets.US_ASCII);
  }

  /** The first 4 characters and an ellipsis: enough to tell tickets apart in a log. */
  public String redacted() {
    return redact(text());
  }

  public static String redact(String id) {
    return id.length() <= 4 ? "…" : id.substring(0, 4) + "…";
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return redacted();
  }
}
