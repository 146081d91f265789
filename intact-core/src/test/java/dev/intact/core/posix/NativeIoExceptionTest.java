package dev.intact.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeIoExceptionTest {
  private static NativeIoException exdev() {
    return new NativeIoException(
        "copy_file_range", "/x/y.img", Posix.EXDEV, "Invalid cross-device link");
  }

  @Test
  void errnoIsOneOfTheNamedErrorsOnlyWhenItsOwnIsAmongThem() {
    assertThat(exdev().errnoIsOneOf(Posix.ENOSYS, Posix.EXDEV)).isTrue();
    assertThat(exdev().errnoIsOneOf(Posix.ENOSYS, Posix.EINVAL)).isFalse();
    assertThat(exdev().errnoIsOneOf()).isFalse();
  }

  @Test
  void itsMessageNamesTheCallTheFileAndTheReasonOnOneLine() {
    assertThat(exdev()).hasMessage("copy_file_range on /x/y.img failed: Invalid cross-device link");
  }
}
