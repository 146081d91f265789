package dev.intact.core.record;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One {@code --cksum} of the archive gate, with xrdcp's meanings: compute at the source and verify
 * the destination ({@link Mode#COMPUTE}); the user's value must match ({@link Mode#VALUE}); the
 * value is the source's own record ({@link Mode#SOURCE}); or compute, verify and print ({@link
 * Mode#PRINT}).
 *
 * @param value the user's value, for {@link Mode#VALUE} only (else null)
 */
public record ChecksumRequest(ChecksumType type, Mode mode, HashCode value) {
  public enum Mode {
    COMPUTE,
    VALUE,
    SOURCE,
    PRINT
  }

  public ChecksumRequest {
    if ((mode == Mode.VALUE) != (value != null)) {
      throw new IllegalArgumentException("a value is given exactly with the VALUE mode");
    }
  }

  /**
   * Parses {@code ALG}, {@code ALG:HEX}, {@code ALG:source} or {@code ALG:print}. ALG may itself
   * hold a colon ({@code imageio:sha1}); only a last part that is {@code source}, {@code print} or
   * hexadecimal is taken as the mode. adler32 and crc32 values may lack leading zeros, as xrdcp's.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static ChecksumRequest parse(String text) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon > 0) {
      String head = t.substring(0, colon);
      String tail = t.substring(colon + 1).toLowerCase(Locale.ROOT);
      if (tail.equals("source") || tail.equals("print")) {
        return new ChecksumRequest(
            type(head), tail.equals("source") ? Mode.SOURCE : Mode.PRINT, null);
      }
      if (!tail.isEmpty() && tail.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        ChecksumType type = type(head);
        boolean padShort =
            type.name().equals("adler32")
                || type.name().equals("crc32")
                || type.name().equals("cksum");
        return new ChecksumRequest(
            type, Mode.VALUE, HashCode.parse(tail, type.digestLength(), padShort));
      }
    }
    return new ChecksumRequest(type(t), Mode.COMPUTE, null);
  }

  private static ChecksumType type(String name) {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return ChecksumType.parse(name, OptionalLong.empty());
    }
    long blockSize;
    try {
      blockSize = Long.parseLong(name.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "block size in '" + name + "' is not a number of bytes", e);
    }
    return ChecksumType.parse(name.substring(0, slash), OptionalLong.of(blockSize));
  }
}
