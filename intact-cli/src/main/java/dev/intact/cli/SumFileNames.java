package dev.intact.cli;

import dev.intact.core.checksum.ChecksumType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The algorithm a sum file's name announces, for {@code -c} without {@code -a}: the names
 * distributions and the coreutils family use ({@code SHA256SUMS}, {@code B2SUMS}, {@code MD5SUMS},
 * {@code *.sha256}, {@code *.md5}, ...), case-insensitively, with or without {@code .txt}. Tag
 * lines and JSON lines name their own algorithm whatever the file's name.
 */
final class SumFileNames {
  /** A sum-file name stem, and the algorithm of the tool that writes it. */
  private record Stem(String stem, String algorithm) {}

  private static final List<Stem> STEMS =
      List.of(
          new Stem("md5", "md5"),
          new Stem("sha1", "sha1"),
          new Stem("sha256", "sha256"),
          new Stem("sha512", "sha512"),
          new Stem("b2", "blake2b-512"), // b2sum's default
          new Stem("blake2b", "blake2b-512"),
          new Stem("b3", "blake3"), // b3sum
          new Stem("blake3", "blake3"),
          new Stem("xxh64", "xxh64"),
          new Stem("xxh3", "xxh3-64"),
          new Stem("xxh128", "xxh3-128"),
          new Stem("crc32c", "crc32c"));

  private SumFileNames() {}

  /** The algorithm {@code sumFile}'s name announces, if it is one of the well-known names. */
  static Optional<ChecksumType> algorithm(String sumFile) {
    String name = sumFile.substring(sumFile.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.endsWith(".txt")) {
      name = name.substring(0, name.length() - ".txt".length());
    }
    for (Stem s : STEMS) {
      if (name.equals(s.stem() + "sums")
          || name.equals(s.stem() + "sum")
          || name.endsWith("." + s.stem())
          || name.endsWith("." + s.stem() + "sum")
          || name.endsWith("." + s.stem() + "sums")) {
        return Optional.of(ChecksumType.parse(s.algorithm(), OptionalLong.empty()));
      }
    }
    return Optional.empty();
  }
}
