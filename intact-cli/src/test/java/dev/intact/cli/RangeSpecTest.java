package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.RangeOutOfBoundsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangeSpecTest {
  @ParameterizedTest
  @CsvSource({
    "0:100, 0, 100",
    "1K:4K, 1024, 4096",
    "1M:, 1048576, 10485760",
    ":64K, 0, 65536",
    ":, 0, 10485760",
    "10M:10M, 10485760, 10485760",
    "10M:, 10485760, 10485760",
  })
  void resolvesAgainstTheImageSize(String text, long start, long end) {
    assertThat(RangeSpec.parse(text).resolve(10 << 20, "img")).isEqualTo(new ByteRange(start, end));
  }

  @Test
  void aRangePastTheEndIsAnErrorNamingTheImage() {
    assertThatThrownBy(() -> RangeSpec.parse("0:11M").resolve(10 << 20, "disk.img"))
        .isInstanceOf(RangeOutOfBoundsException.class)
        .hasMessage("range [0, 11534336) is outside disk.img (size 10485760 bytes)");
    assertThatThrownBy(() -> RangeSpec.parse("11M:").resolve(10 << 20, "disk.img"))
        .isInstanceOf(RangeOutOfBoundsException.class)
        .hasMessageContaining("outside disk.img");
  }

  @Test
  void rejectsReversedAndShapelessRanges() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RangeSpec.parse("2K:1K"))
        .withMessage("range end 1024 is before its start 2048");
    assertThatIllegalArgumentException().isThrownBy(() -> RangeSpec.parse("100"));
    assertThatIllegalArgumentException().isThrownBy(() -> RangeSpec.parse("1:2:3"));
  }
}
