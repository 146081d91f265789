package dev.intact.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.image.ByteRange;
import org.junit.jupiter.api.Test;

class RangeHeadersTest {

  @Test
  void rangeIsInclusiveAndMayOmitItsEnd() {
    assertThat(RangeHeaders.range("bytes=0-0", 10)).isEqualTo(new ByteRange(0, 1));
    assertThat(RangeHeaders.range(" bytes=4-9 ", 10)).isEqualTo(new ByteRange(4, 10));
    assertThat(RangeHeaders.range("bytes=4-", 10)).isEqualTo(new ByteRange(4, 10));
  }

  @Test
  void rangeOutsideTheImageOrOfAnotherShapeIs416() {
    for (String h : new String[] {"bytes=-5", "bytes=0-1,3-4", "items=0-1", "bytes=5-4"}) {
      assertThatThrownBy(() -> RangeHeaders.range(h, 10))
          .as(h)
          .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(416));
    }
    assertThatThrownBy(() -> RangeHeaders.range("bytes=10-", 10))
        .hasMessage("Range bytes=10- is outside the image (size 10 bytes)");
  }

  @Test
  void contentRangeNamesWhatIsWrong() {
    assertThat(RangeHeaders.contentRange("bytes 4-9/*", 10)).isEqualTo(new ByteRange(4, 10));
    assertThat(RangeHeaders.contentRange("bytes 4-9/10", 10)).isEqualTo(new ByteRange(4, 10));
    assertThatThrownBy(() -> RangeHeaders.contentRange("bytes=4-9", 10))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("is not 'bytes first-last/*'");
    assertThatThrownBy(() -> RangeHeaders.contentRange("bytes 9-4/*", 10))
        .hasMessageContaining("ends before it starts");
    assertThatThrownBy(() -> RangeHeaders.contentRange("bytes 4-10/*", 10))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(416))
        .hasMessage("write [4, 11) is past the end of the image (size 10 bytes)");
  }

  @Test
  void nineteenDigitsThatOverflowALongAreMalformedNotAServerError() {
    assertThatThrownBy(() -> RangeHeaders.contentRange("bytes 0-9999999999999999999/*", 10))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("larger than 9223372036854775807");
    assertThatThrownBy(() -> RangeHeaders.range("bytes=9999999999999999999-", 10))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> RangeHeaders.contentRange("bytes 0-9223372036854775807/*", 10))
        .hasMessage("write [0, 2^63) is past the end of the image (size 10 bytes)");
  }
}
