package dev.intact.core.checksum;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What a checksum is: a whole-stream algorithm, or a block-hash list with its inner algorithm and
 * block size. Two checksums are comparable only when their types are equal.
 */
public sealed interface ChecksumType permits WholeStream, BlockHashList {

  /** The type used when none is named: never hardware-dependent, equal to {@code blksum}'s. */
  ChecksumType DEFAULT = parse("blkhash", OptionalLong.empty());

  /** The name as printed and parsed: {@code sha256}, {@code imageio:blake2b-256}, ... */
  String name();

  /** Length of the value in bytes. */
  int digestLength();

  /**
   * Parses a name such as {@code sha256}, {@code imageio}, {@code imageio:sha1} or {@code
   * blkhash:blake2b-256}. A block size applies only to block-hash lists.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static ChecksumType parse(String name, OptionalLong blockSize) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    int colon = n.indexOf(':');
    String head = colon < 0 ? n : n.substring(0, colon);
    for (BlockHashList.Construction c : BlockHashList.Construction.values()) {
      if (c.label().equals(head)) {
        HashAlgorithm inner =
            colon < 0 ? c.defaultInner() : Algorithms.byName(n.substring(colon + 1));
        long size = blockSize.orElse(c.defaultBlockSize());
        if (size != (int) size) { // found by ChecksumTypeFuzzTest: 4 GiB + 64 KiB read as 64 KiB
          throw new IllegalArgumentException(
              "block size " + size + " is out of range for " + c.label());
        }
        return new BlockHashList(c, inner, (int) size);
      }
    }
    if (blockSize.isPresent()) {
      throw new IllegalArgumentException(
          "--block-size applies only to block-hash lists (imageio, blkhash), not to '"
              + name
              + "'");
    }
    return new WholeStream(Algorithms.byName(n));
  }
}
