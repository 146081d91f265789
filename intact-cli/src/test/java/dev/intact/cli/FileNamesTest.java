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

  @Test
  void everyByteSequenceRoundTripsThroughDecodeAndEncode() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = new byte[random.nextInt(12)];
      random.nextBytes(bytes);
      assertThat(FileNames.encode(FileNames.decode(bytes))).isEqualTo(bytes);
    }
  }

  @Test
  void validUtf8DecodesAsItselfAndOtherBytesAsEscapes() {
    byte[] cafe = "café ✓ 𝄞".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(FileNames.decode(cafe)).isEqualTo("café ✓ 𝄞");
    assertThat(FileNames.decode(new byte[] {'a', (byte) 0xff, (byte) 0xfe}))
        .isEqualTo("a\udcff\udcfe");
    // A UTF-8-encoded surrogate is not UTF-8: its bytes are escaped, never taken as the escape.
    assertThat(FileNames.decode(new byte[] {(byte) 0xed, (byte) 0xb3, (byte) 0xbf}))
        .isEqualTo("\udced\udcb3\udcbf");
  }

  @Test
  void aLoneSurrogateThatNoByteMapsToIsNotAName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FileNames.encode("a\ud800b"))
        .withMessage("a file name cannot hold the lone surrogate U+D800");
  }

  @Test
  void pathsHoldTheBytesOfNamesThatAreNotUtf8(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    String name = dir + "/" + FileNames.decode(new byte[] {'x', (byte) 0xff, (byte) 0xfe});
    java.nio.file.Files.writeString(FileNames.toPath(name), "data");
    try (var listing = java.nio.file.Files.list(dir)) {
      java.nio.file.Path listed = listing.findFirst().orElseThrow();
      assertThat(listed.toUri().getRawPath()).endsWithIgnoringCase("/x%FF%FE");
    }
    assertThat(java.nio.file.Files.readString(FileNames.toPath(name))).isEqualTo("data");
  }

  @Test
  void theWriterPutsEscapedBytesBackAndTheRestAsUtf8() throws java.io.IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var w = new NameBytesWriter(bytes)) {
      w.write("café \udcff \ud834\udd1e!");
    }
    byte[] expected = {
      'c',
      'a',
      'f',
      (byte) 0xc3,
      (byte) 0xa9,
      ' ',
      (byte) 0xff,
      ' ',
      (byte) 0xf0,
      (byte) 0x9d,
      (byte) 0x84,
      (byte) 0x9e,
      '!'
    };
    assertThat(bytes.toByteArray()).isEqualTo(expected);
  }
}
