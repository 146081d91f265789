package dev.intact.core.checksum;

import dev.intact.core.hash.HashAlgorithm;

/** A plain checksum of every byte in order, equal to what {@code sha256sum} and its kin print. */
public record WholeStream(HashAlgorithm algorithm) implements ChecksumType {

  @Override
  public String name() {
    return algorithm.name();
  }

  @Override
  public int digestLength() {
    return algorithm.digestLength();
  }
}
