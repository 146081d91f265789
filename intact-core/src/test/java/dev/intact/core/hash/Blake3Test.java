package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written BLAKE3 against {@code b3sum} and BouncyCastle. */
class Blake3Test {
  private static final HashAlgorithm BLAKE3 = Algorithms.byName("blake3");

  /**
   * The input lengths of the official BLAKE3 test vectors (input byte i is i mod 251), which walk
   * the chunk tree through every shape up to 100 chunks, hashed by {@code b3sum}.
   */
  @Test
  void officialVectorInputsMatchB3sum(@TempDir Path dir) throws IOException {
    int[] lengths = {
      0, 1, 2, 7, 8, 63, 64, 65, 127, 128, 129, 1023, 1024, 1025, 2048, 2049, 3072, 3073, 4096,
      4097, 5120, 5121, 6144, 6145, 7168, 7169, 8192, 8193, 16384, 31744, 102400
    };
    List<String> args = new ArrayList<>();
    Map<String, byte[]> inputs = new HashMap<>();
    for (int length : lengths) {
      byte[] data = new byte[length];
      for (int i = 0; i < length; i++) {
        data[i] = (byte) (i % 251);
      }
      Path file = dir.resolve("vector-" + length);
      Files.write(file, data);
      args.add(file.toString());
      inputs.put(file.toString(), data);
    }
    String output = ExternalTool.of("b3sum", "b3sum").run(args.toArray(String[]::new));
    List<String> lines = output.lines().toList();
    assertThat(lines).hasSize(lengths.length);
    for (String line : lines) {
      String[] fields = line.split(" {2}", 2);
      byte[] data = inputs.get(fields[1]);
      assertThat(BLAKE3.hash(data).toHex())
          .as("blake3 of %d bytes", data.length)
          .isEqualTo(fields[0]);
    }
  }

  @Property(tries = 40)
  void matchesBouncyCastleOnRandomInputs(
      @ForAll @IntRange(min = 0, max = 300_000) int size, @ForAll long seed) {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    Blake3Digest reference = new Blake3Digest(256);
    reference.update(data, 0, data.length);
    byte[] expected = new byte[32];
    reference.doFinal(expected, 0);
    assertThat(BLAKE3.hash(data).toBytes()).isEqualTo(expected);
  }

  /**
   * Lengths around the multi-lane kernel's 64 KiB batches and its multi-threaded path (four or more
   * batches in one update), whole or fed in pieces that start mid-chunk and mid-block.
   */
  @Test
  void batchedAndParallelChunksMatchBouncyCastleHoweverTheInputIsSplit() {
    int[] lengths = {65536, 65537, 131073, 4 * 65536, 4 * 65536 + 1, 1 << 20, (1 << 20) + 1023};
    for (int length : lengths) {
      byte[] data = new byte[length];
      new SplittableRandom(length).nextBytes(data);
      Blake3Digest reference = new Blake3Digest(256);
      reference.update(data, 0, data.length);
      byte[] expected = new byte[32];
      reference.doFinal(expected, 0);
      assertThat(BLAKE3.hash(data).toBytes()).as("%d bytes whole", length).isEqualTo(expected);
      for (int piece : new int[] {1000, 64 * 1024 + 3, 300_001}) {
        Hasher h = BLAKE3.newHasher();
        for (int at = 0; at < length; at += piece) {
          h.update(data, at, Math.min(piece, length - at));
        }
        assertThat(h.finish().toBytes())
            .as("%d bytes in pieces of %d", length, piece)
            .isEqualTo(expected);
      }
    }
  }

  /**
   * A 1 MiB update after {@code k} whole chunks: its batches are whole 64-chunk subtrees, reduced
   * in the lanes, when {@code k} is a multiple of 64 (merged with the subtrees already on the stack
   * for 64 and 192), and chunk values merged one by one otherwise.
   */
  @Test
  void batchesThatAreWholeSubtreesJoinTheTreeAtTheirLevel() {
    for (int k : new int[] {0, 1, 63, 64, 65, 128, 192}) {
      byte[] data = new byte[k * 1024 + (1 << 20) + 5];
      new SplittableRandom(k).nextBytes(data);
      Blake3Digest reference = new Blake3Digest(256);
      reference.update(data, 0, data.length);
      byte[] expected = new byte[32];
      reference.doFinal(expected, 0);
      Hasher h = BLAKE3.newHasher();
      h.update(data, 0, k * 1024);
      h.update(data, k * 1024, data.length - k * 1024);
      assertThat(h.finish().toBytes()).as("after %d chunks", k).isEqualTo(expected);
    }
  }

  /**
   * Updates of whole batches, as a file is read: the batch that ends each update waits for the next
   * (an empty update does not count as more input), and the last one holds the root.
   */
  @Test
  void updatesThatEndOnABatchBoundaryMatchBouncyCastle() {
    for (int length : new int[] {65536, 3 << 20, 5 * 65536}) {
      byte[] data = new byte[length];
      new SplittableRandom(length + 1).nextBytes(data);
      Blake3Digest reference = new Blake3Digest(256);
      reference.update(data, 0, data.length);
      byte[] expected = new byte[32];
      reference.doFinal(expected, 0);
      for (int piece : new int[] {65536, 1 << 20}) {
        Hasher h = BLAKE3.newHasher();
        for (int at = 0; at < length; at += piece) {
          h.update(data, at, Math.min(piece, length - at));
          h.update(data, 0, 0);
        }
        assertThat(h.finish().toBytes())
            .as("%d bytes in updates of %d", length, piece)
            .isEqualTo(expected);
      }
    }
  }

  /** Several MiB through the threads, against b3sum (its own SIMD and threads). */
  @Test
  void severalMebibytesMatchB3sum(@TempDir Path dir) throws IOException {
    byte[] data = new byte[(3 << 20) + 12345];
    new SplittableRandom(7).nextBytes(data);
    Path file = dir.resolve("big");
    Files.write(file, data);
    String line = ExternalTool.of("b3sum", "b3sum").run(file.toString()).strip();
    assertThat(BLAKE3.hash(data).toHex()).isEqualTo(line.split(" {2}", 2)[0]);
  }

  /**
   * A direct buffer (a mapped file's window) is hashed in place, with the same value as the array
   * of its bytes: lengths around a chunk, a batch and the 16 MiB the threads take at a time, whole
   * and in pieces that end mid-chunk and on batch boundaries, from an odd offset.
   */
  @Test
  void directBuffersHashInPlaceAsTheirBytesDo() {
    int batch = 64 * 1024;
    int[] lengths = {
      0, 1, 1023, 1024, 1025, batch - 1, batch, batch + 1, 16 << 20, (16 << 20) + batch + 5
    };
    for (int length : lengths) {
      byte[] data = new byte[length + 3];
      new SplittableRandom(length).nextBytes(data);
      ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
      HashCode expected = BLAKE3.newHasher().update(data, 3, length).finish();
      Hasher whole = BLAKE3.newHasher();
      assertThat(whole.prefersMappedFiles()).isTrue();
      whole.update(direct.slice(3, length));
      assertThat(whole.finish()).as("%d bytes whole", length).isEqualTo(expected);
      for (int piece : new int[] {1000, batch, 3 * batch + 17}) {
        Hasher h = BLAKE3.newHasher();
        for (int at = 0; at < length; at += piece) {
          ByteBuffer slice = direct.slice(3 + at, Math.min(piece, length - at));
          h.update(slice);
          assertThat(slice.hasRemaining()).isFalse();
        }
        assertThat(h.finish()).as("%d bytes in pieces of %d", length, piece).isEqualTo(expected);
      }
    }
  }

  /** More than the 16 MiB the threads take at a time, in one update, against b3sum. */
  @Test
  void oneUpdateOfMoreThanSixteenMebibytesMatchesB3sum(@TempDir Path dir) throws IOException {
    byte[] data = new byte[(33 << 20) + 4321];
    new SplittableRandom(33).nextBytes(data);
    Path file = dir.resolve("bigger");
    Files.write(file, data);
    String line = ExternalTool.of("b3sum", "b3sum").run(file.toString()).strip();
    assertThat(BLAKE3.hash(data).toHex()).isEqualTo(line.split(" {2}", 2)[0]);
  }
}
