package dev.intact.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.cli.RangeSpec;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TransferRangeTest {
  @Test
  void sumsFormWithSizesAndTheFirstFormInBytesMeanTheSame() {
    assertThat(TransferFlags.parseRange("64K:1M"))
        .isEqualTo(new RangeSpec(65536, OptionalLong.of(1 << 20)));
    assertThat(TransferFlags.parseRange("65536-1048576"))
        .isEqualTo(TransferFlags.parseRange("64K:1M"));
    assertThat(TransferFlags.parseRange("4M:"))
        .isEqualTo(new RangeSpec(4 << 20, OptionalLong.empty()));
  }

  @Test
  void aBackwardOrMalformedRangeIsRefused() {
    assertThatThrownBy(() -> TransferFlags.parseRange("5-3")).hasMessageContaining("before");
    assertThatThrownBy(() -> TransferFlags.parseRange("1G-2G")).hasMessageContaining("START:END");
    assertThatThrownBy(() -> TransferFlags.parseRange("-3")).hasMessageContaining("START:END");
  }
}
