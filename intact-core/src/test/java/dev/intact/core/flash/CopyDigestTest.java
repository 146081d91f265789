package dev.intact.core.flash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CopyDigestTest {

  @Test
  void isCrc32cThenCrc32OfTheInput() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    // The catalogue check values: CRC-32C e3069283, CRC-32 cbf43926.
    assertThat(CopyDigest.INSTANCE.hash(check).toHex()).isEqualTo("e3069283cbf43926");
  }

  @Test
  void doesNotDependOnHowTheInputIsSplitAndResetsAfterFinish() {
    byte[] data = new byte[100_000];
    new Random(5).nextBytes(data);
    var h = CopyDigest.INSTANCE.newHasher();
    for (int i = 0; i < data.length; i += 777) {
      h.update(data, i, Math.min(777, data.length - i));
    }
    assertThat(h.finish()).isEqualTo(CopyDigest.INSTANCE.hash(data));
    assertThat(h.finish()).isEqualTo(CopyDigest.INSTANCE.hash(new byte[0]));
  }

  @Test
  void seesASingleFlippedBit() {
    byte[] data = new byte[1 << 20];
    new Random(6).nextBytes(data);
    var before = CopyDigest.INSTANCE.hash(data);
    data[123_456] ^= 0x10;
    assertThat(CopyDigest.INSTANCE.hash(data)).isNotEqualTo(before);
  }
}
