package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ZerosTest {

  @Test
  void everyPrecomputedZeroDigestIsTheHashOfZeros() {
    assertThat(Zeros.KNOWN).isNotEmpty();
    for (Zeros.Known known : Zeros.KNOWN) {
      HashAlgorithm algorithm = Algorithms.byName(known.algorithm());
      assertThat(HexFormat.of().formatHex(algorithm.hash(new byte[known.blockSize()]).toBytes()))
          .as("%s of %d zero bytes", known.algorithm(), known.blockSize())
          .isEqualTo(known.hex());
      assertThat(Zeros.blockDigest(algorithm, known.blockSize()))
          .isEqualTo(HexFormat.of().parseHex(known.hex()));
    }
  }

  @Test
  void otherBlockSizesAreComputed() {
    HashAlgorithm sha256 = Algorithms.byName("sha256");
    assertThat(Zeros.blockDigest(sha256, 12288)).isEqualTo(sha256.hash(new byte[12288]).toBytes());
    assertThat(Zeros.digestOf(sha256, 5)).isEqualTo(sha256.hash(new byte[5]).toBytes());
  }

  @Test
  void isZeroFindsALoneByteAnywhere() {
    byte[] buf = new byte[3 * Zeros.BUFFER.length + 7];
    assertThat(Zeros.isZero(buf, 0, buf.length)).isTrue();
    for (int at : new int[] {0, 1, Zeros.BUFFER.length, buf.length - 1}) {
      buf[at] = 1;
      assertThat(Zeros.isZero(buf, 0, buf.length)).as("byte %d set", at).isFalse();
      assertThat(Zeros.isZero(buf, at + 1, buf.length - at - 1)).isTrue();
      Arrays.fill(buf, (byte) 0);
    }
  }
}
