package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ChecksumMismatchExceptionTest {

  @Test
  void messageNamesResourceRangeAlgorithmAndBothValues() {
    var e =
        new ChecksumMismatchException(
            "/srv/disk.img", new ByteRange(4096, 8192), "crc32c", "e3069283", "00000000");

    assertThat(e)
        .hasMessage(
            "checksum mismatch in /srv/disk.img [4096, 8192): crc32c expected e3069283 actual"
                + " 00000000");
    assertThat(e.resource()).isEqualTo("/srv/disk.img");
    assertThat(e.range()).contains(new ByteRange(4096, 8192));
    assertThat(e.algorithm()).isEqualTo("crc32c");
    assertThat(e.expected()).isEqualTo("e3069283");
    assertThat(e.actual()).isEqualTo("00000000");
  }

  @Test
  void wholeResourceMismatchHasNoRange() {
    var e = new ChecksumMismatchException("f", null, "adler32", "00000001", "00000002");

    assertThat(e.range()).isEmpty();
    assertThat(e).hasMessage("checksum mismatch in f: adler32 expected 00000001 actual 00000002");
  }

  @Test
  void fromChecksumsTakesTheExpectedOnesTypeName() {
    ChecksumType sha256 = ChecksumType.parse("sha256", OptionalLong.empty());
    Checksum expected = new Checksum(sha256, HashCode.of(new byte[32]), 0);
    byte[] other = new byte[32];
    other[31] = 1;
    Checksum actual = new Checksum(sha256, HashCode.of(other), 0);

    var e = ChecksumMismatchException.of("f", null, expected, actual);

    assertThat(e.algorithm()).isEqualTo("sha256");
    assertThat(e.expected()).isEqualTo("0".repeat(64));
    assertThat(e.actual()).isEqualTo("0".repeat(63) + "1");
  }

  @Test
  void aVerificationBetweenTwoSidesSaysWhichSideHadWhichValue() {
    ChecksumType sha256 = ChecksumType.parse("sha256", OptionalLong.empty());
    Checksum source = new Checksum(sha256, HashCode.of(new byte[32]), 0);
    byte[] other = new byte[32];
    other[0] = (byte) 0xab;
    Checksum stored = new Checksum(sha256, HashCode.of(other), 0);

    var e =
        ChecksumMismatchException.between(
            "https://host/images/t",
            new ByteRange(0, 10),
            source,
            "the source",
            stored,
            "the disk");

    assertThat(e)
        .hasMessage(
            "verification failed for https://host/images/t [0, 10): the source has sha256 "
                + "0".repeat(64)
                + " but the disk has ab"
                + "0".repeat(62));
    assertThat(e.resource()).isEqualTo("https://host/images/t");
    assertThat(e.expectedFrom()).contains("the source");
    assertThat(e.actualFrom()).contains("the disk");
    assertThat(e.actual()).isEqualTo("ab" + "0".repeat(62));
    assertThat(new ChecksumMismatchException("f", null, "a", "1", "2").expectedFrom()).isEmpty();
  }
}
