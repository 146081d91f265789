package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final long MIB = 1 << 20;

  @Test
  void aFrameShowsDoneOfTotalPercentRateAndEtaWithinTheWidth() {
    String line = Progress.line("disk.img", 16 * MIB, 64 * MIB, 2_000_000_000L);
    assertThat(line)
        .startsWith("disk.img  25% [#####...............] 16/64 MiB 8.0 MiB/s ETA 0:00:06")
        .hasSize(Progress.WIDTH);
  }

  @Test
  void theLastFrameIsFullWithoutEta() {
    String line = Progress.line("disk.img", 64 * MIB, 64 * MIB, 1_000_000_000L);
    assertThat(line).contains("100%").contains("64/64 MiB").doesNotContain("ETA");
  }

  @Test
  void aStreamShowsBytesAndRateOnly() {
    assertThat(Progress.line("-", 3 * MIB, -1, 1_000_000_000L).strip())
        .isEqualTo("- 3 MiB 3.0 MiB/s");
  }

  @Test
  void longOrHostileNamesAreCutAndNeverCarryControlCharacters() {
    String line =
        Progress.line("/very/long/path/to/a/disk\u001b[2J\nimage.qcow2", MIB, 4 * MIB, 1L);
    assertThat(line).hasSize(Progress.WIDTH).startsWith("...").doesNotContain("\u001b", "\n");
  }

  @Test
  void aPhaseWithNothingCountedShowsItsTimeNotZeroOfZero() {
    String line = Progress.line("upload: verifying", 0, 0, 3_500_000_000L);
    assertThat(line.strip()).isEqualTo("upload: verifying ... 0:00:03");
    assertThat(line).hasSize(Progress.WIDTH).doesNotContain("MiB", "0/0", "?");
  }
}
