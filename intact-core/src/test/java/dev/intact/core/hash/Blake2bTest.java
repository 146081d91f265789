package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written BLAKE2b against its references: python's hashlib and BouncyCastle. */
class Blake2bTest {
  private static final ExternalTool PYTHON = ExternalTool.of("python3", "python3");
  private static final HashAlgorithm B256 = Algorithms.byName("blake2b-256");
  private static final HashAlgorithm B512 = Algorithms.byName("blake2b-512");

  /**
   * Every length from 0 to 1100 bytes (all positions around the 128-byte block boundary, eight
   * blocks deep) against CPython's hashlib, which wraps the BLAKE2 reference code.
   */
  @Test
  void everyPrefixLengthMatchesHashlib(@TempDir Path dir) throws IOException {
    byte[] data = new byte[1100];
    new SplittableRandom(7693).nextBytes(data);
    Path file = dir.resolve("data");
    Files.write(file, data);
    String script =
        """
        import hashlib, sys
        data = open(sys.argv[1], 'rb').read()
        for n in range(len(data) + 1):
            print(hashlib.blake2b(data[:n], digest_size=32).hexdigest(),
                  hashlib.blake2b(data[:n]).hexdigest())
        """;
    List<String> lines = PYTHON.run("-c", script, file.toString()).lines().toList();
    assertThat(lines).hasSize(data.length + 1);
    for (int n = 0; n <= data.length; n++) {
      byte[] prefix = Arrays.copyOf(data, n);
      String[] expected = lines.get(n).split(" ", -1);
      assertThat(B256.hash(prefix).toHex()).as("blake2b-256 of %d bytes", n).isEqualTo(expected[0]);
      assertThat(B512.hash(prefix).toHex()).as("blake2b-512 of %d bytes", n).isEqualTo(expected[1]);
    }
  }

  @Property(tries = 40)
  void matchesBouncyCastleOnRandomInputs(
      @ForAll @IntRange(min = 0, max = 300_000) int size, @ForAll long seed) {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    assertThat(B256.hash(data).toBytes()).isEqualTo(bouncyCastle(256, data));
    assertThat(B512.hash(data).toBytes()).isEqualTo(bouncyCastle(512, data));
  }

  @Property(tries = 20)
  void anyDigestLengthMatchesBouncyCastle(
      @ForAll @IntRange(min = 1, max = 64) int digestLength,
      @ForAll @IntRange(min = 0, max = 1000) int size,
      @ForAll long seed) {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    HashAlgorithm algorithm = new Blake2b("blake2b-" + 8 * digestLength, List.of(), digestLength);
    assertThat(algorithm.hash(data).toBytes()).isEqualTo(bouncyCastle(8 * digestLength, data));
  }

  @Test
  void blake2b256IsNotBlake2b512Truncated() {
    byte[] abc = {'a', 'b', 'c'};
    assertThat(B256.hash(abc).toBytes()).isNotEqualTo(Arrays.copyOf(B512.hash(abc).toBytes(), 32));
  }

  private static byte[] bouncyCastle(int bits, byte[] data) {
    Blake2bDigest digest = new Blake2bDigest(bits);
    digest.update(data, 0, data.length);
    byte[] out = new byte[bits / 8];
    digest.doFinal(out, 0);
    return out;
  }
}
