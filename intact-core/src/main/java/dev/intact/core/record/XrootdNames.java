package dev.intact.core.record;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashCode;
import java.util.Map;
import java.util.Optional;

/**
 * Which of Intact's algorithms each XRootD checksum name is, measured against Debian's XRootD 5.5.3
 * server ({@code xrdfs HOST query checksum PATH?cks.type=NAME}, see docs/records.md):
 *
 * <ul>
 *   <li>{@code adler32}, {@code crc32c}, {@code md5}: the same algorithms, same byte order;
 *   <li>{@code crc32}: POSIX {@code cksum} (length appended), Intact's {@code cksum} — not zlib's;
 *   <li>{@code zcrc32} (the {@code libXrdCksCalczcrc32} plug-in): zlib's CRC-32, Intact's {@code
 *       crc32}, but stored and printed with its bytes reversed (host order on x86-64: "123456789"
 *       gives {@code 2639f4cb}, zlib's value being {@code cbf43926}).
 * </ul>
 */
public final class XrootdNames {
  private static final Map<String, String> INTACT_BY_XROOTD =
      Map.of(
          "adler32", "adler32",
          "crc32", "cksum",
          "crc32c", "crc32c",
          "md5", "md5",
          "zcrc32", "crc32");

  private static final Map<String, String> XROOTD_BY_INTACT =
      Map.of(
          "adler32", "adler32",
          "cksum", "crc32",
          "crc32c", "crc32c",
          "md5", "md5",
          "crc32", "zcrc32");

  private XrootdNames() {}

  /** The XRootD name of this type, if XRootD has one. */
  public static Optional<String> xrootdName(ChecksumType type) {
    return type instanceof WholeStream w
        ? Optional.ofNullable(XROOTD_BY_INTACT.get(w.algorithm().name()))
        : Optional.empty();
  }

  /** The Intact type an XRootD name stands for, if Intact knows it. */
  public static Optional<ChecksumType> intactType(String xrootdName) {
    String name = INTACT_BY_XROOTD.get(xrootdName);
    return name == null ? Optional.empty() : Optional.of(new WholeStream(Algorithms.byName(name)));
  }

  /** An Intact value as XRootD stores it under {@code xrootdName}. */
  public static HashCode toXrootd(String xrootdName, HashCode value) {
    return xrootdName.equals("zcrc32") ? reversed(value) : value;
  }

  /** An XRootD-stored value as Intact's algorithm gives it. */
  public static HashCode fromXrootd(String xrootdName, HashCode value) {
    return xrootdName.equals("zcrc32") ? reversed(value) : value;
  }

  private static HashCode reversed(HashCode value) {
    byte[] b = value.toBytes();
    for (int i = 0, j = b.length - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    return HashCode.of(b);
  }
}
