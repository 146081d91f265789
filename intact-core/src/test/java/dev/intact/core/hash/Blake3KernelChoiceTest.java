package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When BLAKE3's chunks go to the Vector API kernel instead of the loops. */
class Blake3KernelChoiceTest {

  @Test
  void theLoopsHashUntilTheThresholdHasBeenOfferedAndTheVectorsFromThen() {
    Blake3KernelChoice choice = new Blake3KernelChoice(100);
    assertThat(choice.mayPickVectors()).isTrue();
    assertThat(choice.vectors()).isFalse();
    choice.offer(99);
    assertThat(choice.vectors()).isFalse();
    choice.offer(1);
    assertThat(choice.vectors()).isTrue();
    choice.offer(1);
    assertThat(choice.vectors()).isTrue();
  }

  @Test
  void aChoiceThatNeverPicksTheVectorsSaysSo() {
    Blake3KernelChoice never = new Blake3KernelChoice(Long.MAX_VALUE);
    never.offer(Long.MAX_VALUE / 2);
    assertThat(never.mayPickVectors()).isFalse();
    assertThat(never.vectors()).isFalse();
  }

  /** One update the size of a file's first mapped window switches every hasher of the process. */
  @Test
  void oneUpdateOfAMappedWindowSwitchesTheProcessToTheVectors() {
    Algorithms.byName("blake3").hash(new byte[(int) Blake3KernelChoice.VECTORS_AFTER]);
    assertThat(Blake3KernelChoice.PROCESS.vectors()).isTrue();
  }
}
