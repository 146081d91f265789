package dev.intact.core.image;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadPastEndExceptionTest {

  @Test
  void aReadEndingExactlyAtTheEndIsAllowed() {
    assertThatCode(() -> ReadPastEndException.check("disk.img", 96, 4, 100))
        .doesNotThrowAnyException();
    assertThatCode(() -> ReadPastEndException.check("disk.img", 100, 0, 100))
        .doesNotThrowAnyException();
  }

  @Test
  void aReadOneBytePastTheEndNamesTheImageThePlaceAndTheSize() {
    assertThatThrownBy(() -> ReadPastEndException.check("disk.img", 97, 4, 100))
        .isInstanceOf(ReadPastEndException.class)
        .hasMessage("disk.img: read of 4 bytes at 97 is past the end (100 bytes)");
  }

  @Test
  void aNegativePositionOrLengthIsRefused() {
    assertThatThrownBy(() -> ReadPastEndException.check("disk.img", -1, 4, 100))
        .isInstanceOf(ReadPastEndException.class);
    assertThatThrownBy(() -> ReadPastEndException.check("disk.img", 10, -4, 100))
        .isInstanceOf(ReadPastEndException.class);
  }

  @Test
  void aLengthThatWouldOverflowPastLongMaxIsRefused() {
    assertThatThrownBy(() -> ReadPastEndException.check("disk.img", Long.MAX_VALUE - 1, 4, 100))
        .isInstanceOf(ReadPastEndException.class);
  }
}
