package dev.intact.core.hash;

import com.dynatrace.hash4j.hashing.Hashing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The whole-stream algorithms Intact knows, by canonical name and alias. Names are those of {@code
 * checksums.md}; they are unambiguous where other tools' names are not ("crc32" is zlib's here,
 * never POSIX cksum).
 *
 * <p>Where each comes from: adler32, crc32, crc32c are the JDK's intrinsic {@code java.util.zip}
 * checksums; md5, sha1, sha256, sha512, sha3-256 its {@code MessageDigest}s (SHA-NI where the CPU
 * has it); xxh3-64 is the system's libxxhash where installed (6-8x hash4j's speed), else hash4j, as
 * xxh64 and xxh3-128 are; crc64, crc64-xz, cksum, the BLAKE2b pair and blake3 are written here,
 * because no JDK or maintained library offers them at speed (table-sliced CRCs; BLAKE2b/BLAKE3
 * ~3-5x BouncyCastle's).
 */
public final class Algorithms {
  private static final List<HashAlgorithm> ALL =
      List.of(
          new ZipChecksumAlgorithm("adler32", List.of("adler"), Adler32::new, true),
          new ZipChecksumAlgorithm("crc32", List.of(), CRC32::new, true),
          new ZipChecksumAlgorithm("crc32c", List.of(), CRC32C::new, false),
          new Crc64Ecma(),
          new Crc64Xz(),
          new PosixCksum(),
          new MessageDigestAlgorithm("md5", List.of(), "MD5", 16),
          new MessageDigestAlgorithm("sha1", List.of("sha-1"), "SHA-1", 20),
          new MessageDigestAlgorithm("sha256", List.of("sha-256"), "SHA-256", 32),
          new MessageDigestAlgorithm("sha512", List.of("sha-512"), "SHA-512", 64),
          new MessageDigestAlgorithm("sha3-256", List.of("sha3_256"), "SHA3-256", 32),
          new Blake2b("blake2b-256", List.of(), 32),
          new Blake2b("blake2b-512", List.of("blake2b512"), 64),
          new Blake3(),
          new XxHash64Bit("xxh64", List.of("xxhash64"), () -> Hashing.xxh64().hashStream()),
          new Xxh3_64(),
          new Xxh3_128());

  private static final Map<String, HashAlgorithm> BY_NAME = index();

  private Algorithms() {}

  private static Map<String, HashAlgorithm> index() {
    Map<String, HashAlgorithm> map = new LinkedHashMap<>();
    for (HashAlgorithm a : ALL) {
      map.put(a.name(), a);
      for (String alias : a.aliases()) {
        map.put(alias, a);
      }
    }
    return Map.copyOf(map);
  }

  /** Every algorithm, in the order of {@code checksums.md}. */
  public static List<HashAlgorithm> all() {
    return ALL;
  }

  /**
   * The algorithm with this canonical name or alias (case-insensitive).
   *
   * @throws UnknownAlgorithmException listing the known names
   */
  public static HashAlgorithm byName(String name) {
    HashAlgorithm a = BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
    if (a == null) {
      throw new UnknownAlgorithmException(
          name, ALL.stream().map(HashAlgorithm::name).collect(Collectors.joining(", ")));
    }
    return a;
  }
}
