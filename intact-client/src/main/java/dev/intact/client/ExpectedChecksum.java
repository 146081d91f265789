package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.util.OptionalLong;

/** A checksum the user already has, as {@code --expected ALG:VALUE} spells it. */
public final class ExpectedChecksum {
  private ExpectedChecksum() {}

  /**
   * Parses {@code ALG:VALUE}; ALG may itself hold a colon ({@code imageio:sha1}). The size of the
   * result is 0: the transfer's range gives it.
   *
   * @throws IllegalArgumentException naming the text if it is not of that form
   */
  public static Checksum parse(String text, OptionalLong blockSize) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          "--expected must be ALGORITHM:HEXVALUE (e.g. sha256:ab12...), not '" + text + "'");
    }
    ChecksumType type = ChecksumType.parse(text.substring(0, colon), blockSize);
    return new Checksum(
        type, HashCode.parse(text.substring(colon + 1), type.digestLength(), true), 0);
  }
}
