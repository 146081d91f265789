package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectors of checksums.md and of the algorithms' standards. */
class KnownVectorsTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest(name = "{0}(\"123456789\") = {1}")
  @CsvSource({
    "adler32, 091e01de",
    "crc32, cbf43926",
    "crc32c, e3069283",
    "crc64, 6c40df5f0b497347",
    "crc64-xz, 995dc9bbdf1939fa",
    "cksum, 377a6011",
    "md5, 25f9e794323b453885f5181f1b624d0b",
    "sha1, f7c3bc1d808e04732adf679965ccc34ca7ae3441",
    "sha256, 15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
    "xxh64, 8cb841db40e6ae83",
  })
  void checkValue(String algorithm, String expected) {
    assertThat(Algorithms.byName(algorithm).hash(CHECK).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}(\"\") = {1}")
  @CsvSource({
    "adler32, 00000001",
    "crc32, 00000000",
    "crc32c, 00000000",
    "crc64, 0000000000000000",
    "crc64-xz, 0000000000000000",
    "cksum, ffffffff",
    "md5, d41d8cd98f00b204e9800998ecf8427e",
    "sha256, e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "sha3-256, a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
    "blake2b-256, 0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
    "blake2b-512, 786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
        + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
    "blake3, af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
    "xxh64, ef46db3751d8e999",
    "xxh3-64, 2d06800538d394c2",
    "xxh3-128, 99aa06d3014798d86001c324468d497f",
  })
  void emptyInput(String algorithm, String expected) {
    assertThat(Algorithms.byName(algorithm).hash(new byte[0]).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}(\"abc\") = {1}")
  @CsvSource({
    // RFC 7693 Appendix A.
    "blake2b-512, ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    // BLAKE2b with digest length 32 in the parameter block (b2sum -l 256), not truncated 512.
    "blake2b-256, bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
    // FIPS 202 and the BLAKE3 reference test vectors.
    "sha3-256, 3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
    "blake3, 6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
    "sha512, ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  })
  void abc(String algorithm, String expected) {
    assertThat(Algorithms.byName(algorithm).hash("abc".getBytes(StandardCharsets.US_ASCII)).toHex())
        .isEqualTo(expected);
  }
}
