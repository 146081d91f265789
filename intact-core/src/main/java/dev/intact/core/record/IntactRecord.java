package dev.intact.core.record;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * Intact's own record, for the types XRootD has no name for (block-hash lists with their block
 * size, sha256, xxh3, blake3, ...): attribute {@code user.intact.cks.<type>} (block-hash lists add
 * {@code @<block size>}). Versioned and self-checking; big-endian:
 *
 * <pre>
 *  0  4  magic "ICKS"
 *  4  1  version (1)
 *  5  1  N: length of the type name
 *  6  1  L: length of the value
 *  7  1  reserved, 0
 *  8  4  block size (0 for whole-stream types)
 * 12  8  file size the record was made for
 * 20  8  file mtime, seconds
 * 28  4  file mtime, nanoseconds
 * 32  8  when the value was computed (seconds since the epoch)
 * 40  N  type name, ASCII (sha256, imageio:sha1, blkhash, ...)
 * 40+N L value
 * ..  4  CRC-32C of every byte before it
 * </pre>
 *
 * A record whose size or mtime (to the nanosecond) differs from the file's is stale, as XRootD's
 * are by mtime seconds.
 */
public record IntactRecord(
    ChecksumType type,
    HashCode value,
    long size,
    long mtimeSeconds,
    int mtimeNanos,
    long computed) {
  public static final String ATTRIBUTE_PREFIX = "user.intact.cks.";
  public static final int VERSION = 1;

  private static final byte[] MAGIC = {'I', 'C', 'K', 'S'};
  private static final int HEADER = 40;
  private static final int TRAILER = 4;

  public IntactRecord {
    if (value.length() != type.digestLength()) {
      throw new IllegalArgumentException(
          type.name() + " values are " + type.digestLength() + " bytes, not " + value.length());
    }
  }

  /** The attribute a record of {@code type} is stored under. */
  public static String attributeName(ChecksumType type) {
    return type instanceof BlockHashList b
        ? ATTRIBUTE_PREFIX + b.name() + "@" + b.blockSize()
        : ATTRIBUTE_PREFIX + type.name();
  }

  public String attributeName() {
    return attributeName(type);
  }

  public byte[] encode() {
    byte[] name = type.name().getBytes(StandardCharsets.US_ASCII);
    byte[] v = value.toBytes();
    ByteBuffer b = ByteBuffer.allocate(HEADER + name.length + v.length + TRAILER);
    b.put(MAGIC)
        .put((byte) VERSION)
        .put((byte) name.length)
        .put((byte) v.length)
        .put((byte) 0)
        .putInt(type instanceof BlockHashList l ? l.blockSize() : 0)
        .putLong(size)
        .putLong(mtimeSeconds)
        .putInt(mtimeNanos)
        .putLong(computed)
        .put(name)
        .put(v);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Decodes the value of attribute {@code attribute}.
   *
   * @throws MalformedRecordException naming the attribute and what is wrong
   */
  public static IntactRecord decode(String attribute, byte[] raw) throws MalformedRecordException {
    if (raw.length < HEADER + TRAILER) {
      throw new MalformedRecordException(
          attribute, "truncated Intact record: " + raw.length + " bytes");
    }
    if (!Arrays.equals(raw, 0, 4, MAGIC, 0, 4)) {
      throw new MalformedRecordException(attribute, "not an Intact record (bad magic)");
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    int version = raw[4] & 0xff;
    if (version != VERSION) {
      throw new MalformedRecordException(
          attribute, "Intact record version " + version + " is not " + VERSION + " (upgrade?)");
    }
    int nameLength = raw[5] & 0xff;
    int valueLength = raw[6] & 0xff;
    int expected = HEADER + nameLength + valueLength + TRAILER;
    if (raw.length != expected) {
      throw new MalformedRecordException(
          attribute,
          (raw.length < expected ? "truncated" : "oversized")
              + " Intact record: "
              + raw.length
              + " bytes, expected "
              + expected);
    }
    CRC32C crc = new CRC32C();
    crc.update(raw, 0, raw.length - TRAILER);
    if ((int) crc.getValue() != b.getInt(raw.length - TRAILER)) {
      throw new MalformedRecordException(attribute, "Intact record fails its CRC-32C check");
    }
    int blockSize = b.getInt(8);
    String name = new String(raw, HEADER, nameLength, StandardCharsets.US_ASCII);
    ChecksumType type;
    try {
      type =
          ChecksumType.parse(
              name, blockSize == 0 ? OptionalLong.empty() : OptionalLong.of(blockSize));
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException(attribute, "Intact record type: " + e.getMessage());
    }
    if (!attributeName(type).equals(attribute)) {
      throw new MalformedRecordException(
          attribute, "holds a record of " + attributeName(type) + ", not of its own name");
    }
    if (valueLength != type.digestLength()) {
      throw new MalformedRecordException(
          attribute,
          "Intact record value is "
              + valueLength
              + " bytes, "
              + name
              + " has "
              + type.digestLength());
    }
    HashCode value =
        HashCode.of(
            Arrays.copyOfRange(raw, HEADER + nameLength, HEADER + nameLength + valueLength));
    return new IntactRecord(type, value, b.getLong(12), b.getLong(20), b.getInt(28), b.getLong(32));
  }
}
