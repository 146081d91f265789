package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "4096, 4096",
    "64K, 65536",
    "64k, 65536",
    "64KiB, 65536",
    "4M, 4194304",
    "4MiB, 4194304",
    "1G, 1073741824",
    "1T, 1099511627776",
    "' 2M ', 2097152",
  })
  void parsesBytesAndBinarySuffixes(String text, long bytes) {
    assertThat(ByteSize.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "K", "1.5M", "-1", "4X", "1 M", "0x10", "9223372036854775808", "9E"})
  void rejectsWhatIsNotASize(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"4MB", "1GB", "64kB", "64KB", "2tb"})
  void refusesSiUnitsNamingBothReadings(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ByteSize.parse(text))
        .withMessageStartingWith("'" + text + "' is ambiguous: write ")
        .withMessageContaining("iB for binary units")
        .withMessageEndingWith("or the number of bytes");
  }

  @ParameterizedTest
  @CsvSource({"65536, 64K", "4194304, 4M", "1000, 1000", "0, 0", "1536, 1536", "1073741824, 1G"})
  void formatsTheShortestExactForm(long bytes, String text) {
    assertThat(ByteSize.format(bytes)).isEqualTo(text);
    assertThat(ByteSize.parse(text)).isEqualTo(bytes);
  }
}
