package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashCodeParseTest {

  @Test
  void upperCaseIsAcceptedAndPrintedInLowerCase() {
    HashCode value = Algorithms.byName("sha1").parse("F7C3BC1D808E04732ADF679965CCC34CA7AE3441");
    assertThat(value.toHex()).isEqualTo("f7c3bc1d808e04732adf679965ccc34ca7ae3441");
    assertThat(value)
        .isEqualTo(
            Algorithms.byName("sha1")
                .hash("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest
  @CsvSource({"adler32, 1e01de, 001e01de", "crc32, 0, 00000000", "crc32, CBF43926, cbf43926"})
  void adler32AndCrc32ValuesMissingLeadingZerosArePadded(
      String algorithm, String text, String canonical) {
    assertThat(Algorithms.byName(algorithm).parse(text).toHex()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"crc32c", "cksum", "crc64", "md5", "xxh64"})
  void otherAlgorithmsRejectShortValues(String algorithm) {
    HashAlgorithm a = Algorithms.byName(algorithm);
    assertThatThrownBy(() -> a.parse("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checksum value 'abc' has 3 hex digits, expected " + 2 * a.digestLength());
  }

  @Test
  void tooLongValueIsRejectedEvenWhereShortOnesArePadded() {
    assertThatThrownBy(() -> Algorithms.byName("adler32").parse("0091e01de"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checksum value '0091e01de' has 9 hex digits, expected 8");
  }

  @Test
  void nonHexIsRejectedNamingTheText() {
    assertThatThrownBy(() -> Algorithms.byName("crc64").parse("6c40df5f0b49734g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checksum value '6c40df5f0b49734g' is not hexadecimal");
  }

  @Test
  void emptyValueIsRejected() {
    assertThatThrownBy(() -> Algorithms.byName("crc32").parse("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty checksum value");
  }

  @Test
  void longBadValueIsAbbreviatedInTheMessage() {
    String text = "z".repeat(100);
    assertThatThrownBy(() -> Algorithms.byName("sha256").parse(text))
        .hasMessage("checksum value '" + "z".repeat(37) + "...' is not hexadecimal");
  }

  @Test
  void everyValueRoundTripsThroughItsTextForm() {
    byte[] input = "round trip".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (HashAlgorithm a : Algorithms.all()) {
      HashCode value = a.hash(input);
      assertThat(a.parse(value.toHex())).as(a.name()).isEqualTo(value);
      assertThat(value.toHex()).as(a.name()).hasSize(2 * a.digestLength());
    }
  }
}
