package dev.intact.core.checksum;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import dev.intact.core.testing.SparseImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectors of checksums.md, through files (with holes where the input is zero) and streams. */
class ChecksumVectorsTest {
  private static final int KIB = 1 << 10;
  private static final int MIB = 1 << 20;

  @TempDir Path dir;

  private static BlockHashList imageio(String inner, int blockSize) {
    return new BlockHashList(
        BlockHashList.Construction.IMAGEIO, Algorithms.byName(inner), blockSize);
  }

  private static BlockHashList blkhash() {
    return (BlockHashList) ChecksumType.parse("blkhash", OptionalLong.empty());
  }

  /** Checks the value through a file read with 1 and 3 threads, and through a stream. */
  private void assertChecksum(ChecksumType type, Path file, String expected) throws IOException {
    for (int threads : new int[] {1, 3}) {
      try (LocalImage image = LocalImage.openRead(file)) {
        Checksum c =
            ChecksumEngine.withThreads(threads)
                .compute(image, type, ByteRange.whole(image.size()), ProgressListener.NONE);
        assertThat(c.value().toHex())
            .as("%s, %d threads", type.name(), threads)
            .isEqualTo(expected);
        assertThat(c.size()).isEqualTo(Files.size(file));
        assertThat(c.type()).isEqualTo(type);
      }
    }
    if (Files.size(file) <= 64 * MIB) {
      Checksum c =
          ChecksumEngine.withThreads(2)
              .compute(
                  new ByteArrayInputStream(Files.readAllBytes(file)), type, ProgressListener.NONE);
      assertThat(c.value().toHex()).as("%s from a stream", type.name()).isEqualTo(expected);
      assertThat(NaiveChecksum.of(type, Files.readAllBytes(file)).toHex()).isEqualTo(expected);
    }
  }

  /** {@code b"data"} then a hole up to {@code length}: imageio's own test inputs. */
  private Path dataThenZeros(long length) throws IOException {
    Path file = dir.resolve("data-" + length);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      if (length > 0) {
        raf.write("data".getBytes(US_ASCII));
      }
      raf.setLength(length);
    }
    return file;
  }

  @ParameterizedTest(name = "imageio:{0} {1} bytes")
  @CsvSource({
    "blake2b-256, 4194304, f426bb2cf1e1901fe4e87423950944ecfed6d9d18a09e6e802aa4912e1c9b2d6",
    "blake2b-256, 3145728, 42f3b76772a6d3dcffae2a24697721687975e2c60ddfd4ba7831ea9ce772ca71",
    "blake2b-256, 5242880, 0da53b583fc1fbbac7edea14454c79f84a8107613e614f2c7a47071dfdcf41a6",
    "blake2b-256, 0, 0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
    "sha1, 4194304, 3ed03b375b6658d99b63ced1867a95aeef080b79",
    "sha1, 5242880, d3936edd8e3a8ff10e8257a9f460d8da67838549",
  })
  void imageioOfDataThenZeros(String inner, long length, String expected) throws IOException {
    assertChecksum(imageio(inner, 4 * MIB), dataThenZeros(length), expected);
  }

  @ParameterizedTest(name = "imageio, {0}")
  @CsvSource({
    "written zeros, 7647042a30c72f84207d47c9b3ec2357e291591d5131ad90dc690e3020d0d0db",
    "a hole, 7647042a30c72f84207d47c9b3ec2357e291591d5131ad90dc690e3020d0d0db",
  })
  void imageioOfSixtyFourKibibytesOfXThenZerosInOneMebibyteBlocks(String tail, String expected)
      throws IOException {
    Path file = dir.resolve("x");
    Files.write(file, filled('x', 64 * KIB));
    if (tail.equals("a hole")) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(3 * MIB);
      }
    } else {
      Files.write(file, new byte[3 * MIB - 64 * KIB], java.nio.file.StandardOpenOption.APPEND);
    }
    ChecksumType type = ChecksumType.parse("imageio", OptionalLong.of(MIB));
    assertThat(type.name()).isEqualTo("imageio");
    assertChecksum(type, file, expected);
  }

  @Test
  void imageioDefaultsToBlake2b256InFourMebibyteBlocks() {
    BlockHashList type = (BlockHashList) ChecksumType.parse("imageio", OptionalLong.empty());
    assertThat(type.inner().name()).isEqualTo("blake2b-256");
    assertThat(type.blockSize()).isEqualTo(4 * MIB);
  }

  @ParameterizedTest(name = "blkhash {0}")
  @CsvSource({
    "A x 64 KiB, 2e3a5f57d5e726ee5de62db1a85ff816f4fa6ea4627807d9a51bdc4c883e165e",
    "zeros x 64 KiB, 8ab067ab7939a3d4f40cbb118956c07c06aeae2d075d6e0a2ebbb94bd42832af",
    "hole x 64 KiB, 8ab067ab7939a3d4f40cbb118956c07c06aeae2d075d6e0a2ebbb94bd42832af",
    "A x 32 KiB, 9467334d6d7668a2f06898185b5cddc78cdfbd962f50c6bf250101f03a0e54dc",
    "zeros x 8.5 blocks, e623a5702b1feb08fbb3d18e35bbb7ec10146b8cd1bcff811200a3948c78c55c",
    "hole x 8.5 blocks, e623a5702b1feb08fbb3d18e35bbb7ec10146b8cd1bcff811200a3948c78c55c",
    "A-F x 32 KiB, 4ab1586084326f5beb911621282e9557cd26856105eff7f78cace5986af4738b",
    "empty, af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc",
  })
  void blkhashTable(String input, String expected) throws IOException {
    Path file = dir.resolve("input");
    switch (input) {
      case "A x 64 KiB" -> Files.write(file, filled('A', 64 * KIB));
      case "zeros x 64 KiB" -> Files.write(file, new byte[64 * KIB]);
      case "hole x 64 KiB" -> SparseImage.empty(64 * KIB).writeTo(file);
      case "A x 32 KiB" -> Files.write(file, filled('A', 32 * KIB));
      case "zeros x 8.5 blocks" -> Files.write(file, new byte[17 * 32 * KIB]);
      case "hole x 8.5 blocks" -> SparseImage.empty(17 * 32 * KIB).writeTo(file);
      case "A-F x 32 KiB" -> {
        byte[] all = new byte[6 * 32 * KIB];
        for (int i = 0; i < 6; i++) {
          Arrays.fill(all, i * 32 * KIB, (i + 1) * 32 * KIB, (byte) ('A' + i));
        }
        Files.write(file, all);
      }
      case "empty" -> Files.write(file, new byte[0]);
      default -> throw new IllegalArgumentException(input);
    }
    assertChecksum(blkhash(), file, expected);
  }

  @ParameterizedTest(name = "blkhash of a {0}-byte hole")
  @CsvSource({
    "1073741824, c6d6562c3074a2caa0ceea3e1f460f3af678c792ed05e64157eb51e68ae5260d",
  })
  void blkhashOfOneGibibyteOfZeros(long size, String expected) throws IOException {
    assertChecksum(blkhash(), SparseImage.empty(size).writeTo(dir.resolve("zeros")), expected);
  }

  @ParameterizedTest(name = "{0}(\"123456789\")")
  @CsvSource({
    "adler32, 091e01de",
    "crc32, cbf43926",
    "crc32c, e3069283",
    "md5, 25f9e794323b453885f5181f1b624d0b",
    "sha1, f7c3bc1d808e04732adf679965ccc34ca7ae3441",
    "sha256, 15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
    "crc64, 6c40df5f0b497347",
    "crc64-xz, 995dc9bbdf1939fa",
    "cksum, 377a6011",
    "xxh64, 8cb841db40e6ae83",
  })
  void wholeStreamCheckValues(String algorithm, String expected) throws IOException {
    Path file = Files.writeString(dir.resolve("digits"), "123456789", US_ASCII);
    assertChecksum(ChecksumType.parse(algorithm, OptionalLong.empty()), file, expected);
  }

  private static byte[] filled(char c, int length) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) c);
    return b;
  }
}
