package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JDK digest is looked up when a hasher is made, not when the algorithm is registered: making the
 * registry must not start the JDK's security providers for a sum that uses none of them.
 */
class MessageDigestAlgorithmTest {

  @Test
  void aDigestTheJdkLacksFailsOnFirstUseNamingIt() {
    MessageDigestAlgorithm missing =
        new MessageDigestAlgorithm("none", List.of(), "NO-SUCH-DIGEST", 32);

    assertThatThrownBy(missing::newHasher)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this JDK has no NO-SUCH-DIGEST MessageDigest");
  }

  @Test
  void aDigestTheJdkHasHashesAsItsMessageDigest() {
    HashCode value = Algorithms.byName("sha256").hash(new byte[0]);

    assertThat(HexFormat.of().formatHex(value.toBytes()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
