package dev.intact.spark;

import dev.intact.core.checksum.ChecksumType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code adler32,crc32c,sha256} or {@code imageio/1M}: types as {@code intact record -a} takes
 * them.
 */
final class TypeLists {
  /** What {@code intact record} computes when -a is not given. */
  static final String DEFAULT = "adler32,crc32c,sha256";

  private TypeLists() {}

  static List<ChecksumType> parse(String text) {
    Set<ChecksumType> types = new LinkedHashSet<>();
    for (String item : text.split(",", -1)) {
      String s = item.strip();
      if (s.isEmpty()) {
        throw new IllegalArgumentException("empty algorithm name in '" + text + "'");
      }
      int slash = s.indexOf('/');
      OptionalLong blockSize = OptionalLong.empty();
      if (slash >= 0) {
        Arguments a =
            Arguments.parse(
                new String[] {"x", "--b", s.substring(slash + 1)}, Set.of(), Set.of("--b"));
        blockSize = OptionalLong.of(a.size("--b", 0));
      }
      types.add(ChecksumType.parse(slash < 0 ? s : s.substring(0, slash), blockSize));
    }
    return new ArrayList<>(types);
  }
}
