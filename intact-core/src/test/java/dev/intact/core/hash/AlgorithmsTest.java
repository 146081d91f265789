package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlgorithmsTest {

  @Test
  void registersEveryAlgorithmOfTheSpecInItsOrder() {
    assertThat(Algorithms.all())
        .extracting(HashAlgorithm::name)
        .containsExactly(
            "adler32",
            "crc32",
            "crc32c",
            "crc64",
            "crc64-xz",
            "cksum",
            "md5",
            "sha1",
            "sha256",
            "sha512",
            "sha3-256",
            "blake2b-256",
            "blake2b-512",
            "blake3",
            "xxh64",
            "xxh3-64",
            "xxh3-128");
  }

  @ParameterizedTest
  @CsvSource({
    "adler32, 4",
    "crc32, 4",
    "crc32c, 4",
    "crc64, 8",
    "crc64-xz, 8",
    "cksum, 4",
    "md5, 16",
    "sha1, 20",
    "sha256, 32",
    "sha512, 64",
    "sha3-256, 32",
    "blake2b-256, 32",
    "blake2b-512, 64",
    "blake3, 32",
    "xxh64, 8",
    "xxh3-64, 8",
    "xxh3-128, 16"
  })
  void digestLengthsMatchTheValues(String name, int length) {
    HashAlgorithm algorithm = Algorithms.byName(name);
    assertThat(algorithm.digestLength()).isEqualTo(length);
    assertThat(algorithm.hash(new byte[] {1, 2, 3}).length()).isEqualTo(length);
  }

  @ParameterizedTest
  @CsvSource({
    "adler, adler32",
    "xxhash64, xxh64",
    "xxh3, xxh3-64",
    "xxh128, xxh3-128",
    "SHA256, sha256",
    "' Blake2b-256 ', blake2b-256",
    "sha-1, sha1",
    "blake2b512, blake2b-512"
  })
  void aliasesAndCaseResolveToTheCanonicalAlgorithm(String alias, String canonical) {
    assertThat(Algorithms.byName(alias).name()).isEqualTo(canonical);
  }

  @Test
  void canonicalNamesAndAliasesAreUnique() {
    List<String> names =
        Algorithms.all().stream()
            .flatMap(a -> Stream.concat(Stream.of(a.name()), a.aliases().stream()))
            .toList();
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Algorithms.byName("blake2"))
        .isInstanceOf(UnknownAlgorithmException.class)
        .hasMessageContaining("'blake2'")
        .hasMessageContaining("blake2b-256")
        .hasMessageContaining("xxh3-128");
  }

  @Test
  void blake2bIsNotTheOneAmbiguousName() {
    // b2sum's "blake2b" is 512 bits, imageio's is 256: only the explicit names are accepted.
    assertThatThrownBy(() -> Algorithms.byName("blake2b"))
        .isInstanceOf(UnknownAlgorithmException.class);
  }
}
