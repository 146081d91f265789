package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Tags against the formula of docs/volume-format.md, computed here with the JDK alone: H(UUID ‖
 * block number as u64 little-endian ‖ data). The tagger reuses its prefix from tag to tag, so each
 * case tags several blocks in turn, from heap arrays and from native memory.
 */
class TaggerTest {
  private static final long[] BLOCKS = {0, 1, 0x0102030405060708L, 7, -1L};

  private final SplittableRandom random = new SplittableRandom(12);
  private final byte[] uuid = bytes(16);
  private final byte[] key = bytes(32);

  @Test
  void crc32cTagsAreTheBigEndianCrcOfUuidBlockAndData() throws Exception {
    check(
        TagAlgorithm.CRC32C,
        null,
        (block, data) -> {
          CRC32C crc = new CRC32C();
          crc.update(prefix(block));
          crc.update(data);
          return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
        });
  }

  @Test
  void sha256TagsAreTheDigestOfUuidBlockAndData() throws Exception {
    check(
        TagAlgorithm.SHA256,
        null,
        (block, data) -> {
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          md.update(prefix(block));
          return md.digest(data);
        });
  }

  @Test
  void hmacTagsAreTheKeyedMacOfUuidBlockAndData() throws Exception {
    check(
        TagAlgorithm.HMAC_SHA256,
        key,
        (block, data) -> {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(key, "HmacSHA256"));
          mac.update(prefix(block));
          return mac.doFinal(data);
        });
  }

  private interface Reference {
    byte[] tag(long block, byte[] data) throws Exception;
  }

  private void check(TagAlgorithm algorithm, byte[] k, Reference reference) throws Exception {
    Tagger tagger = Tagger.of(algorithm, uuid, k);
    for (long block : BLOCKS) {
      byte[] data = bytes(4096);
      byte[] expected = reference.tag(block, data);
      assertArrayEquals(expected, tagger.tag(block, data, 0, data.length), "heap, block " + block);
      ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
      byte[] out = new byte[algorithm.length()];
      tagger.tag(block, direct, out, 0);
      assertArrayEquals(expected, out, "native, block " + block);
    }
  }

  private byte[] prefix(long block) {
    return ByteBuffer.allocate(24)
        .put(uuid)
        .putLong(Long.reverseBytes(block)) // little-endian
        .array();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
