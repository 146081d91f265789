package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Combining the values of consecutive pieces gives the value of the whole input, for random inputs
 * cut at random places (empty pieces, runs of zeros and single bytes included), for every algorithm
 * that has a combine operation.
 */
class CombinerProperties {

  @Provide
  Arbitrary<String> combinable() {
    return Arbitraries.of("adler32", "crc32", "crc32c", "crc64", "crc64-xz");
  }

  @Property(tries = 300)
  void combinedPiecesEqualTheWholeInput(@ForAll("combinable") String name, @ForAll long seed) {
    HashAlgorithm algorithm = Algorithms.byName(name);
    Combiner combiner = Combiners.of(algorithm).orElseThrow();
    SplittableRandom random = new SplittableRandom(seed);
    int size = random.nextInt(4) == 0 ? random.nextInt(8) : random.nextInt(300_000);
    byte[] data = new byte[size];
    random.nextBytes(data);
    if (size > 0 && random.nextBoolean()) { // a run of zeros, as a hole reads
      int from = random.nextInt(size);
      Arrays.fill(data, from, from + random.nextInt(size - from + 1), (byte) 0);
    }
    int pieces = 1 + random.nextInt(6);
    int[] cuts = new int[pieces + 1];
    cuts[pieces] = size;
    for (int i = 1; i < pieces; i++) {
      cuts[i] = random.nextInt(size + 1);
    }
    Arrays.sort(cuts);

    HashCode combined = algorithm.hash(new byte[0]);
    for (int i = 0; i < pieces; i++) {
      byte[] piece = Arrays.copyOfRange(data, cuts[i], cuts[i + 1]);
      combined = combiner.combine(combined, algorithm.hash(piece), piece.length);
    }

    assertThat(combined).isEqualTo(algorithm.hash(data));
  }

  @Example
  void zerosCombinedPieceByPieceEqualZerosHashedInOneGo() {
    // The long runs of zeros a hole gives: 4 MiB as four combined 1 MiB pieces after a prefix.
    HashAlgorithm crc = Algorithms.byName("crc32");
    Combiner c = Combiners.of(crc).orElseThrow();
    HashCode a = crc.hash("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    HashCode zeros = crc.hash(new byte[1 << 20]);
    // 2^20 zeros combined 4 times equals 2^22 zeros hashed directly.
    HashCode four = zeros;
    for (int i = 1; i < 4; i++) {
      four = c.combine(four, zeros, 1 << 20);
    }
    assertThat(c.combine(a, four, 1L << 22))
        .isEqualTo(
            crc.newHasher()
                .update("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .update(new byte[1 << 22])
                .finish());
  }

  @Example
  void hashesWithoutACombineOperationHaveNone() {
    assertThat(Combiners.of(Algorithms.byName("sha256"))).isEmpty();
    assertThat(Combiners.of(Algorithms.byName("cksum"))).isEmpty();
  }

  @Example
  void aValueOfTheWrongLengthIsRefused() {
    Combiner c = Combiners.of(Algorithms.byName("crc64")).orElseThrow();
    assertThatThrownBy(() -> c.combine(HashCode.ofLong(1, 4), HashCode.ofLong(1, 8), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 bytes, not 4");
    Combiner adler = Combiners.of(Algorithms.byName("adler32")).orElseThrow();
    assertThatThrownBy(() -> adler.combine(HashCode.ofLong(1, 4), HashCode.ofLong(1, 4), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
