package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class FileNamesTest {
  @Test
  void escapesBackslashNewlineAndCarriageReturnReversibly() {
    String name = "a\\b\nc\rd";
    assertThat(FileNames.needsEscape(name)).isTrue();
    assertThat(FileNames.escape(name)).isEqualTo("a\\\\b\\nc\\rd");
    assertThat(FileNames.unescape(FileNames.escape(name))).isEqualTo(name);
    assertThat(FileNames.needsEscape("plain name (1).iso")).isFalse();
  }

  @Test
  void rejectsUnknownAndDanglingEscapes() {
    assertThatIllegalArgumentException().isThrownBy(() -> FileNames.unescape("a\\tb"));
    assertThatIllegalArgumentException().isThrownBy(() -> FileNames.unescape("ab\\"));
  }
}
