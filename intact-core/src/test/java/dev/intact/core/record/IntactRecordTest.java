package dev.intact.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IntactRecordTest {
  private static final ChecksumType IMAGEIO_1M =
      ChecksumType.parse("imageio", OptionalLong.of(1 << 20));

  private static IntactRecord sample() {
    return new IntactRecord(
        IMAGEIO_1M, HashCode.of(new byte[32]), 12345, 1796193119L, 997460608, 1796193200L);
  }

  @Test
  void encodedRecordDecodesEqual() throws MalformedRecordException {
    IntactRecord r = sample();

    assertThat(r.attributeName()).isEqualTo("user.intact.cks.imageio@1048576");
    assertThat(IntactRecord.decode(r.attributeName(), r.encode())).isEqualTo(r);
  }

  @Test
  void anyFlippedBitFailsTheSelfCheck() {
    byte[] raw = sample().encode();
    for (int i = 8; i < raw.length; i++) {
      byte[] bad = raw.clone();
      bad[i] ^= 1;
      assertThatThrownBy(() -> IntactRecord.decode("user.intact.cks.imageio@1048576", bad))
          .as("bit 0 of byte " + i)
          .isInstanceOf(MalformedRecordException.class);
    }
  }

  @Test
  void newerVersionIsReportedNotGuessed() {
    byte[] raw = sample().encode();
    raw[4] = 2;

    assertThatThrownBy(() -> IntactRecord.decode("user.intact.cks.imageio@1048576", raw))
        .hasMessageContaining("version 2 is not 1");
  }

  @Test
  void recordStoredUnderAnotherTypesNameIsRefused() {
    byte[] raw = sample().encode();

    assertThatThrownBy(() -> IntactRecord.decode("user.intact.cks.sha256", raw))
        .hasMessageContaining("holds a record of user.intact.cks.imageio@1048576");
  }

  @Test
  void truncatedRecordIsRefused() {
    byte[] raw = sample().encode();

    assertThatThrownBy(
            () ->
                IntactRecord.decode(
                    "user.intact.cks.imageio@1048576", Arrays.copyOf(raw, raw.length - 1)))
        .hasMessageContaining("truncated Intact record");
  }
}
