package dev.intact.cli;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Names of checksum types in BSD-style tag lines ({@code SHA256 (file) = hex}).
 *
 * <p>Whole-stream algorithms use the spelling of the peer tool that prints them ({@code sha256sum
 * --tag}, {@code b2sum --tag}, {@code xxhsum --tag}, {@code rhash --bsd}) so each side checks the
 * other's files. Block-hash lists use Intact's own name in capitals; a block size other than the
 * default follows a slash: {@code BLKHASH (f)} is 64 KiB blocks, {@code IMAGEIO:SHA1/1M (f)} is
 * imageio with sha1 and 1 MiB blocks.
 */
final class TagNames {
  /** Peer spellings that differ from {@code name.toUpperCase()}, by Intact's canonical name. */
  private static final Map<String, String> PEER_TAGS =
      Map.of(
          "blake2b-512", "BLAKE2b",
          "blake2b-256", "BLAKE2b-256",
          "xxh3-64", "XXH3",
          "xxh3-128", "XXH128");

  private TagNames() {}

  static String tag(ChecksumType type) {
    return switch (type) {
      case BlockHashList b -> {
        String base = b.name().toUpperCase(Locale.ROOT);
        yield b.blockSize() == b.construction().defaultBlockSize()
            ? base
            : base + "/" + ByteSize.format(b.blockSize());
      }
      default -> PEER_TAGS.getOrDefault(type.name(), type.name().toUpperCase(Locale.ROOT));
    };
  }

  /**
   * The type a tag names, case-insensitively.
   *
   * @throws IllegalArgumentException (such as {@link
   *     dev.intact.core.hash.UnknownAlgorithmException}) naming what is wrong
   */
  static ChecksumType parse(String tag) {
    String t = tag.strip();
    for (Map.Entry<String, String> e : PEER_TAGS.entrySet()) {
      if (e.getValue().equalsIgnoreCase(t)) {
        return ChecksumType.parse(e.getKey(), OptionalLong.empty());
      }
    }
    int slash = t.indexOf('/');
    if (slash < 0) {
      return ChecksumType.parse(t, OptionalLong.empty());
    }
    long blockSize = ByteSize.parse(t.substring(slash + 1));
    return ChecksumType.parse(t.substring(0, slash), OptionalLong.of(blockSize));
  }
}
