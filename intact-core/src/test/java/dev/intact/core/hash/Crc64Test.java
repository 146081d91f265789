package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The table-sliced CRC-64s against a bit-at-a-time reference written from their definitions (in
 * python, independent of the Java tables), and CRC-64/XZ against the check {@code xz} stores.
 */
class Crc64Test {
  private static final ExternalTool PYTHON = ExternalTool.of("python3", "python3");
  private static final ExternalTool XZ = ExternalTool.of("xz", "xz-utils");

  private static final String BITWISE_REFERENCE =
      """
      import sys
      def ecma(data):  # CRC-64/ECMA-182 as EOS: MSB first, init 0, xorout 0
          crc = 0
          for b in data:
              crc ^= b << 56
              for _ in range(8):
                  crc = ((crc << 1) ^ 0x42F0E1EBA9EA3693) if crc >> 63 else crc << 1
                  crc &= 0xFFFFFFFFFFFFFFFF
          return crc
      def xz(data):  # CRC-64/XZ: reflected, init and xorout all ones
          crc = 0xFFFFFFFFFFFFFFFF
          for b in data:
              crc ^= b
              for _ in range(8):
                  crc = (crc >> 1) ^ 0xC96C5795D7870F42 if crc & 1 else crc >> 1
          return crc ^ 0xFFFFFFFFFFFFFFFF
      data = open(sys.argv[1], 'rb').read()
      for n in [int(x) for x in sys.argv[2:]]:
          print('%016x %016x' % (ecma(data[:n]), xz(data[:n])))
      """;

  @Test
  void matchesTheBitwiseDefinition(@TempDir Path dir) throws IOException {
    byte[] data = new byte[5000];
    new SplittableRandom(182).nextBytes(data);
    Path file = dir.resolve("data");
    Files.write(file, data);
    int[] lengths = {0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 256, 1000, 4095, 4096, 5000};
    String[] args = new String[lengths.length + 3];
    args[0] = "-c";
    args[1] = BITWISE_REFERENCE;
    args[2] = file.toString();
    for (int i = 0; i < lengths.length; i++) {
      args[i + 3] = Integer.toString(lengths[i]);
    }
    List<String> lines = PYTHON.run(args).lines().toList();
    assertThat(lines).hasSize(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      byte[] prefix = Arrays.copyOf(data, lengths[i]);
      String[] expected = lines.get(i).split(" ", -1);
      assertThat(Algorithms.byName("crc64").hash(prefix).toHex())
          .as("crc64 of %d bytes", lengths[i])
          .isEqualTo(expected[0]);
      assertThat(Algorithms.byName("crc64-xz").hash(prefix).toHex())
          .as("crc64-xz of %d bytes", lengths[i])
          .isEqualTo(expected[1]);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 4095, 4096, (1 << 20) + 7})
  void crc64XzEqualsTheCheckXzStores(int size, @TempDir Path dir) throws IOException {
    byte[] data = new byte[size];
    new SplittableRandom(size).nextBytes(data);
    Path file = dir.resolve("data");
    Files.write(file, data);
    // One thread, so the whole input is one block with one check.
    XZ.run("-k", "-T1", "-0", "--check=crc64", file.toString());
    String list = XZ.run("--robot", "--list", "-vv", dir.resolve("data.xz").toString());
    String check =
        list.lines()
            .filter(l -> l.startsWith("block\t"))
            .map(l -> l.split("\t", -1)[10])
            .findFirst()
            .orElseThrow(() -> new AssertionError("xz listed no block check: " + list));
    assertThat(Algorithms.byName("crc64-xz").hash(data).toHex()).isEqualTo(check);
  }
}
