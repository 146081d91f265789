package dev.intact.cli;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import java.io.PrintWriter;

/** {@code intact sum --list}: the algorithms and block-hash forms, as a table. */
final class AlgorithmList {
  private AlgorithmList() {}

  static void print(PrintWriter out) {
    out.println("Whole-stream algorithms (-a NAME):");
    out.printf("  %-14s %5s  %s%n", "NAME", "BITS", "ALIASES");
    for (HashAlgorithm a : Algorithms.all()) {
      out.printf(
          "  %-14s %5d  %s%n", a.name(), a.digestLength() * 8, String.join(", ", a.aliases()));
    }
    out.println();
    out.println("Block-hash lists (-a FORM[:ALG], any algorithm above as ALG; --block-size SIZE):");
    out.printf("  %-14s %-12s %-8s %-10s %s%n", "FORM", "DEFAULT ALG", "BLOCKS", "RANGE", "AS");
    for (BlockHashList.Construction c : BlockHashList.Construction.values()) {
      out.printf(
          "  %-14s %-12s %-8s %-10s %s%n",
          c.label(),
          c.defaultInner().name(),
          ByteSize.format(c.defaultBlockSize()),
          ByteSize.format(c.minBlockSize()) + "-" + ByteSize.format(c.maxBlockSize()),
          c.appendsLength()
              ? "nirs/blkhash, blksum: H(H(b0)..H(bN-1) le64(size))"
              : "ovirt-imageio /checksum: H(H(b0)..H(bN-1))");
    }
    out.println();
    out.println("Default: " + ChecksumType.DEFAULT.name() + " (sha256, 64K blocks).");
  }
}
