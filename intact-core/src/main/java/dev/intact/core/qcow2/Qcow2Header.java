package dev.intact.core.qcow2;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The header of a qcow2 file (qemu's {@code docs/interop/qcow2.txt}: version 2 or 3, the v3 feature
 * bits and the header extensions after it), checked against the file's size. What it cannot
 * describe is a {@link Qcow2FormatException}; what it describes but this reader does not read (a
 * backing file, encryption...) is {@link #unsupported}.
 *
 * @param version 2 or 3
 * @param clusterBits log2 of the cluster size, 9 to 21
 * @param size the guest disk's size in bytes
 * @param l1Entries entries of the L1 table that the guest disk uses (the file may have more)
 * @param l1TableOffset where the L1 table starts in the file
 * @param extendedL2 whether L2 entries are 128 bits with a subcluster bitmap
 * @param compressionType 0 (zlib) or 1 (zstd); other values are {@link #unsupported}
 */
public record Qcow2Header(
    int version,
    int clusterBits,
    long size,
    int l1Entries,
    long l1TableOffset,
    boolean extendedL2,
    int compressionType,
    long incompatibleFeatures,
    long backingFileOffset,
    int cryptMethod,
    boolean externalDataFileExtension) {

  /** Bytes of the fixed header that {@link #read} needs before it knows the cluster size. */
  public static final int FIXED_LENGTH = 104;

  static final int MAGIC = 0x514649fb; // "QFI\xfb"
  static final int MIN_CLUSTER_BITS = 9;
  static final int MAX_CLUSTER_BITS = 21;

  /** qemu refuses larger L1 tables; so does this reader, before it allocates one. */
  static final long MAX_L1_BYTES = 32L << 20;

  static final long DIRTY = 1;
  static final long CORRUPT = 1 << 1;
  static final long EXTERNAL_DATA_FILE = 1 << 2;
  static final long COMPRESSION_TYPE = 1 << 3;
  static final long EXTENDED_L2 = 1 << 4;
  static final long KNOWN_INCOMPATIBLE =
      DIRTY | CORRUPT | EXTERNAL_DATA_FILE | COMPRESSION_TYPE | EXTENDED_L2;

  private static final int EXTENSION_END = 0;
  private static final int EXTENSION_EXTERNAL_DATA_FILE = 0x44415441;

  /** Size of the clusters. */
  public int clusterSize() {
    return 1 << clusterBits;
  }

  /** log2 of how many guest clusters one L2 table maps. */
  public int l2Bits() {
    return clusterBits - (extendedL2 ? 4 : 3);
  }

  /**
   * Why this reader does not read the image (qemu-nbd will), or empty. Nothing here is an error in
   * the file.
   */
  public Optional<String> unsupported() {
    if (backingFileOffset != 0) {
      return Optional.of("it has a backing file");
    }
    if (cryptMethod != 0) {
      return Optional.of("it is encrypted (crypt_method " + cryptMethod + ")");
    }
    long unknown = incompatibleFeatures & ~KNOWN_INCOMPATIBLE;
    if (unknown != 0) {
      return Optional.of("unknown incompatible features 0x" + Long.toHexString(unknown));
    }
    if ((incompatibleFeatures & EXTERNAL_DATA_FILE) != 0 || externalDataFileExtension) {
      return Optional.of("its data is in an external data file");
    }
    if ((incompatibleFeatures & DIRTY) != 0) {
      return Optional.of("it is marked dirty");
    }
    if ((incompatibleFeatures & CORRUPT) != 0) {
      return Optional.of("it is marked corrupt");
    }
    if (compressionType > 1) {
      return Optional.of("unknown compression type " + compressionType);
    }
    return Optional.empty();
  }

  /**
   * Parses the header at the start of {@code bytes}: the file's first cluster, or all of the file
   * if it is shorter (at least {@link #FIXED_LENGTH} bytes, or the file's size, are needed to tell
   * the cluster size). {@code fileSize} is the whole file's, {@code name} what messages call it.
   *
   * @throws Qcow2FormatException naming what is wrong, if this is not a qcow2 header this reader
   *     can follow
   */
  public static Qcow2Header read(byte[] bytes, long fileSize, String name)
      throws Qcow2FormatException {
    ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian, as qcow2
    if (bytes.length < 72 || b.getInt(0) != MAGIC) {
      throw new Qcow2FormatException(name, "no qcow2 header (magic QFI\\xfb, 72 bytes)");
    }
    int version = b.getInt(4);
    if (version != 2 && version != 3) {
      throw new Qcow2FormatException(name, "qcow2 version " + unsigned(version) + " is not 2 or 3");
    }
    long backingFileOffset = b.getLong(8);
    int clusterBits = b.getInt(20);
    if (clusterBits < MIN_CLUSTER_BITS || clusterBits > MAX_CLUSTER_BITS) {
      throw new Qcow2FormatException(
          name, "cluster_bits " + unsigned(clusterBits) + " is not between 9 and 21");
    }
    int clusterSize = 1 << clusterBits;
    long size = b.getLong(24);
    int cryptMethod = b.getInt(32);
    long l1Size = Integer.toUnsignedLong(b.getInt(36));
    long l1TableOffset = b.getLong(40);
    long incompatible = 0;
    int compressionType = 0;
    int headerLength = 72;
    if (version == 3) {
      if (bytes.length < FIXED_LENGTH) {
        throw new Qcow2FormatException(name, "the version 3 header is cut short");
      }
      incompatible = b.getLong(72);
      headerLength = b.getInt(100);
      if (headerLength < FIXED_LENGTH || headerLength % 8 != 0 || headerLength > clusterSize) {
        throw new Qcow2FormatException(
            name,
            "header_length "
                + unsigned(headerLength)
                + " is not a multiple of 8 from 104 to the cluster size");
      }
      if (headerLength > bytes.length) {
        throw new Qcow2FormatException(name, "the header is longer than the file");
      }
      if (headerLength > FIXED_LENGTH) {
        compressionType = Byte.toUnsignedInt(bytes[FIXED_LENGTH]);
      }
      if (((incompatible & COMPRESSION_TYPE) != 0) != (compressionType != 0)) {
        throw new Qcow2FormatException(
            name,
            "compression_type "
                + compressionType
                + " disagrees with the compression type feature bit");
      }
    }
    boolean extendedL2 = (incompatible & EXTENDED_L2) != 0;
    if (extendedL2 && clusterBits < 14) {
      throw new Qcow2FormatException(
          name, "extended L2 entries need clusters of at least 16384 bytes, not " + clusterSize);
    }
    if (size < 0) {
      throw new Qcow2FormatException(name, "virtual size " + Long.toUnsignedString(size));
    }
    int l2Bits = clusterBits - (extendedL2 ? 4 : 3);
    long needed = Math.ceilDiv(size, 1L << (clusterBits + l2Bits));
    if (l1Size < needed) {
      throw new Qcow2FormatException(
          name,
          "its L1 table has "
              + l1Size
              + " entries, too few for the virtual size "
              + size
              + " (needs "
              + needed
              + ")");
    }
    if (needed * 8 > MAX_L1_BYTES) {
      throw new Qcow2FormatException(
          name, "its virtual size " + size + " needs an L1 table larger than 32 MiB");
    }
    if (needed > 0
        && (l1TableOffset <= 0
            || l1TableOffset % clusterSize != 0
            || l1TableOffset > fileSize - needed * 8)) {
      throw new Qcow2FormatException(
          name,
          "its L1 table at offset "
              + Long.toUnsignedString(l1TableOffset)
              + " is unaligned or reaches past the end of the file ("
              + fileSize
              + " bytes)");
    }
    boolean external = version == 3 && hasExternalDataFileExtension(b, headerLength, name);
    return new Qcow2Header(
        version,
        clusterBits,
        size,
        (int) needed,
        l1TableOffset,
        extendedL2,
        compressionType,
        incompatible,
        backingFileOffset,
        cryptMethod,
        external);
  }

  /**
   * Walks the header extensions from {@code headerLength} to their end marker, which must come
   * before the end of the bytes read (the first cluster). Only the external data file name matters
   * to reading; the walk also rejects an extension area that runs off the cluster.
   */
  private static boolean hasExternalDataFileExtension(ByteBuffer b, int headerLength, String name)
      throws Qcow2FormatException {
    boolean external = false;
    long at = headerLength;
    while (true) {
      if (at + 8 > b.limit()) {
        throw new Qcow2FormatException(
            name, "its header extensions run past the first cluster (at offset " + at + ")");
      }
      int type = b.getInt((int) at);
      long length = Integer.toUnsignedLong(b.getInt((int) at + 4));
      if (type == EXTENSION_END) {
        return external;
      }
      long next = at + 8 + (length + 7) / 8 * 8;
      if (next > b.limit()) {
        throw new Qcow2FormatException(
            name,
            "header extension 0x"
                + Integer.toHexString(type)
                + " at offset "
                + at
                + " runs past the first cluster");
      }
      external |= type == EXTENSION_EXTERNAL_DATA_FILE;
      at = next;
    }
  }

  private static String unsigned(int v) {
    return Integer.toUnsignedString(v);
  }
}
