package dev.intact.core.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The superblock's bytes: one 512-byte sector (written whole, so a crash tears it at most at its
 * own boundary), little-endian, ending in a CRC-32C of the rest. Works on bytes only, so it can be
 * fed anything (fuzzed); every field is checked before it is believed.
 *
 * <pre>
 *   0   magic "INTACTVL"          64  journal length u64
 *   8   version u32 (4; 2, 3 read) 72 generation u64
 *   12  flags u32 (0)             80  journal epoch u64
 *   16  UUID (16 bytes)           88  mismatches u64
 *   32  logical size u64          96  last scrub, epoch seconds u64
 *   40  block size u32            104 bad blocks found by it u64
 *   44  tag algorithm id u32      112 key check (16 bytes)
 *   48  tag entry size u32        128 spare chunks u64 (version 4; 0 before)
 *   52  chunk size u32            136 .. 507 zeros
 *       (version 4; 0 before)     508 CRC-32C of bytes 0..507
 *   56  data offset u64 (derived from the geometry; checked)
 * </pre>
 */
public final class SuperblockCodec {
  public static final int SIZE = 512;
  static final byte[] MAGIC = "INTACTVL".getBytes(StandardCharsets.US_ASCII);

  private SuperblockCodec() {}

  public static byte[] encode(Superblock sb) {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    Geometry g = sb.geometry();
    b.put(MAGIC)
        .putInt(sb.version())
        .putInt(sb.flags())
        .put(sb.uuid())
        .putLong(g.size())
        .putInt(g.blockSize())
        .putInt(sb.algorithm().id())
        .putInt(g.entrySize())
        .putInt(g.chunkSize())
        .putLong(g.dataOffset())
        .putLong(g.journalLength())
        .putLong(sb.generation())
        .putLong(sb.journalEpoch())
        .putLong(sb.mismatches())
        .putLong(sb.lastScrubSeconds())
        .putLong(sb.lastScrubBad())
        .put(sb.keyCheck())
        .putLong(g.spareChunks());
    b.putInt(SIZE - 4, crc(b.array()));
    return b.array();
  }

  /**
   * Decodes a superblock sector.
   *
   * @param where names the copy in messages (a path and offset)
   * @throws VolumeFormatException naming the first thing that is wrong
   */
  public static Superblock decode(byte[] bytes, String where) throws VolumeFormatException {
    if (bytes.length < SIZE) {
      throw new VolumeFormatException(
          where + ": superblock is " + bytes.length + " bytes, not 512");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[8];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new VolumeFormatException(where + ": not an Intact volume (no INTACTVL superblock)");
    }
    int stored = b.getInt(SIZE - 4);
    int actual = crc(bytes);
    if (stored != actual) {
      throw new VolumeFormatException(
          where
              + ": superblock CRC-32C is "
              + Integer.toHexString(actual)
              + ", stored "
              + Integer.toHexString(stored));
    }
    int version = b.getInt();
    if (version < Superblock.OLDEST_READABLE || version > Superblock.VERSION) {
      throw new VolumeFormatException(
          where
              + ": volume format version "
              + Integer.toUnsignedString(version)
              + " (this Intact reads versions "
              + Superblock.OLDEST_READABLE
              + " to "
              + Superblock.VERSION
              + ")");
    }
    int flags = b.getInt();
    if (flags != 0) {
      throw new VolumeFormatException(
          where + ": unknown superblock flags 0x" + Integer.toHexString(flags));
    }
    byte[] uuid = new byte[16];
    b.get(uuid);
    long size = b.getLong();
    int blockSize = b.getInt();
    int algorithmId = b.getInt();
    int entrySize = b.getInt();
    int chunkSize = b.getInt();
    long dataOffset = b.getLong();
    long journalLength = b.getLong();
    long generation = b.getLong();
    long epoch = b.getLong();
    long mismatches = b.getLong();
    long lastScrub = b.getLong();
    long lastScrubBad = b.getLong();
    byte[] keyCheck = new byte[16];
    b.get(keyCheck);
    long spare = b.getLong();
    int reserved = 0;
    for (int i = b.position(); i < SIZE - 4; i++) {
      reserved |= bytes[i];
    }
    if (reserved != 0) {
      throw new VolumeFormatException(where + ": reserved superblock bytes are not zero");
    }
    TagAlgorithm algorithm = TagAlgorithm.byId(algorithmId);
    if (algorithm == null) {
      throw new VolumeFormatException(where + ": unknown tag algorithm id " + algorithmId);
    }
    if (entrySize != algorithm.length() + 1) {
      throw new VolumeFormatException(
          where + ": tag entry size " + entrySize + " does not fit " + algorithm.tagName());
    }
    if ((version >= Superblock.VERSION) != (chunkSize != 0)
        || (version < Superblock.VERSION && spare != 0)) {
      throw new VolumeFormatException(
          where
              + ": format version "
              + version
              + (chunkSize != 0 || spare != 0
                  ? " has no chunk map, but its chunk fields are set"
                  : " needs a chunk size"));
    }
    String problem = Geometry.problem(size, blockSize, entrySize, journalLength, chunkSize, spare);
    if (problem != null) {
      throw new VolumeFormatException(where + ": " + problem);
    }
    Geometry geometry = new Geometry(size, blockSize, entrySize, journalLength, chunkSize, spare);
    if (geometry.dataOffset() != dataOffset) {
      throw new VolumeFormatException(
          where
              + ": data offset "
              + dataOffset
              + " does not match the geometry ("
              + geometry.dataOffset()
              + ")");
    }
    if (generation < 0 || epoch < 0 || mismatches < 0 || lastScrub < 0 || lastScrubBad < 0) {
      throw new VolumeFormatException(where + ": negative counter in the superblock");
    }
    return new Superblock(
        version,
        uuid,
        geometry,
        algorithm,
        flags,
        generation,
        epoch,
        mismatches,
        lastScrub,
        lastScrubBad,
        keyCheck);
  }

  private static int crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, SIZE - 4);
    return (int) c.getValue();
  }
}
