package dev.intact.cli.record;

import dev.intact.core.checksum.ChecksumType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** {@code -a adler32,crc32c,sha256}: checksum types, comma-separated, each once. */
final class TypeList {
  /** What {@code intact record} computes when -a is not given. */
  static final String DEFAULT = "adler32,crc32c,sha256";

  private TypeList() {}

  /**
   * Parses the list; a block-hash list may carry its block size after a slash ({@code imageio/1M}).
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  static List<ChecksumType> parse(List<String> texts) {
    Set<ChecksumType> types = new LinkedHashSet<>();
    for (String text : texts) {
      for (String item : text.split(",", -1)) {
        String s = item.strip();
        if (s.isEmpty()) {
          throw new IllegalArgumentException("empty algorithm name in '" + text + "'");
        }
        int slash = s.indexOf('/');
        OptionalLong blockSize =
            slash < 0
                ? OptionalLong.empty()
                : OptionalLong.of(dev.intact.cli.ByteSize.parse(s.substring(slash + 1)));
        types.add(ChecksumType.parse(slash < 0 ? s : s.substring(0, slash), blockSize));
      }
    }
    return new ArrayList<>(types);
  }
}
