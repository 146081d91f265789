package dev.intact.core.bmap;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import java.util.List;
import java.util.Optional;

/**
 * A block map: which blocks of an image hold data, and their checksums (bmaptool's format, versions
 * 1.x–2.0). Immutable; {@link BmapParser} validates files before building one.
 *
 * @param checksumAlgorithm the algorithm of the range checksums (and of the file checksum in 2.0);
 *     SHA-1 for 1.x files
 * @param fileChecksum the file's checksum of itself, when it had one (informational: the parser has
 *     already verified it)
 */
public record Bmap(
    BmapVersion version,
    long imageSize,
    int blockSize,
    long blocksCount,
    long mappedBlocksCount,
    HashAlgorithm checksumAlgorithm,
    Optional<HashCode> fileChecksum,
    List<BmapRange> ranges) {

  public Bmap {
    ranges = List.copyOf(ranges);
    if (imageSize < 0 || blockSize <= 0) {
      throw new IllegalArgumentException("invalid image size or block size");
    }
    if (blocksCount != blocksFor(imageSize, blockSize)) {
      throw new IllegalArgumentException(
          "BlocksCount " + blocksCount + " does not match ImageSize " + imageSize);
    }
    long mapped = 0;
    long next = 0;
    for (BmapRange r : ranges) {
      if (r.first() < next || r.last() >= blocksCount) {
        throw new IllegalArgumentException("range " + r.blocksText() + " out of order or bounds");
      }
      r.checksum()
          .ifPresent(
              c -> {
                if (c.length() != checksumAlgorithm.digestLength()) {
                  throw new IllegalArgumentException("checksum length of " + r.blocksText());
                }
              });
      next = r.last() + 1;
      mapped += r.blockCount();
    }
    if (mapped != mappedBlocksCount) {
      throw new IllegalArgumentException(
          "MappedBlocksCount " + mappedBlocksCount + " but the ranges map " + mapped);
    }
  }

  /** A 2.0 bmap of these ranges (the mapped count is derived; no file checksum yet). */
  public static Bmap of(
      long imageSize, int blockSize, HashAlgorithm checksumAlgorithm, List<BmapRange> ranges) {
    long mapped = ranges.stream().mapToLong(BmapRange::blockCount).sum();
    return new Bmap(
        BmapVersion.CURRENT,
        imageSize,
        blockSize,
        blocksFor(imageSize, blockSize),
        mapped,
        checksumAlgorithm,
        Optional.empty(),
        ranges);
  }

  /** ceil(imageSize / blockSize). */
  public static long blocksFor(long imageSize, int blockSize) {
    return imageSize / blockSize + (imageSize % blockSize == 0 ? 0 : 1);
  }

  /** True when every range carries a checksum (then every source range can be verified). */
  public boolean hasRangeChecksums() {
    return ranges.stream().allMatch(r -> r.checksum().isPresent());
  }

  /** Bytes the ranges cover (the last block clipped to the image size). */
  public long mappedBytes() {
    return ranges.stream().mapToLong(r -> r.bytes(blockSize, imageSize).length()).sum();
  }
}
