package dev.intact.core.hash;

import java.util.List;

/** BLAKE3 with its default 32-byte output, unkeyed ({@code b3sum}); see {@link Blake3Hasher}. */
final class Blake3 implements HashAlgorithm {

  @Override
  public String name() {
    return "blake3";
  }

  @Override
  public List<String> aliases() {
    return List.of();
  }

  @Override
  public int digestLength() {
    return Blake3Hasher.OUT_LENGTH;
  }

  @Override
  public Hasher newHasher() {
    return new Blake3Hasher();
  }
}
