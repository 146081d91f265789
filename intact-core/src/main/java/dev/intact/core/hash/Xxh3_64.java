package dev.intact.core.hash;

import com.dynatrace.hash4j.hashing.Hashing;
import java.util.List;

/**
 * XXH3-64, seed 0, printed as {@code xxhsum -H3} prints it: the system's libxxhash when it is there
 * ({@link NativeXxh3}), hash4j's streaming XXH3 otherwise; both give the same values.
 */
final class Xxh3_64 implements HashAlgorithm {
  private final XxHash64Bit portable =
      new XxHash64Bit("xxh3-64", List.of("xxh3"), () -> Hashing.xxh3_64().hashStream());

  @Override
  public String name() {
    return portable.name();
  }

  @Override
  public List<String> aliases() {
    return portable.aliases();
  }

  @Override
  public int digestLength() {
    return portable.digestLength();
  }

  @Override
  public Hasher newHasher() {
    return NativeXxh3.available() ? NativeXxh3.newHasher() : portable.newHasher();
  }

  /** hash4j's kernel, whatever the system has: tests compare the two. */
  Hasher newPortableHasher() {
    return portable.newHasher();
  }
}
