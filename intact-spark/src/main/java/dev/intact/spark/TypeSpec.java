package dev.intact.spark;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import java.io.Serializable;
import java.util.List;
import java.util.OptionalLong;

/**
 * A checksum type as it travels to executors: its name and, for a block-hash list, its block size
 * (the core's types hold algorithm objects, which are not serializable).
 */
record TypeSpec(String name, int blockSize) implements Serializable {

  static TypeSpec of(ChecksumType type) {
    return new TypeSpec(type.name(), type instanceof BlockHashList b ? b.blockSize() : 0);
  }

  static List<TypeSpec> of(List<ChecksumType> types) {
    return types.stream().map(TypeSpec::of).toList();
  }

  ChecksumType type() {
    return ChecksumType.parse(
        name, blockSize == 0 ? OptionalLong.empty() : OptionalLong.of(blockSize));
  }

  static List<ChecksumType> types(List<TypeSpec> specs) {
    return specs.stream().map(TypeSpec::type).toList();
  }
}
