package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code intact sum} through the checksum engine: the block-hash vectors of checksums.md from files
 * on disk (sparse where the vector is mostly zeros), the default type, thread counts, and the block
 * size carried through tags and JSON lines into {@code -c}.
 */
class SumEndToEndTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  @TempDir Path dir;

  /** {@code prefix} at offset 0 of a file of {@code length} bytes that is otherwise a hole. */
  private Path sparse(String name, byte[] prefix, long length) throws IOException {
    Path p = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(length);
      f.write(prefix, 0, (int) Math.min(prefix.length, length));
    }
    return p;
  }

  private Path filled(String name, byte value, int length) throws IOException {
    byte[] b = new byte[length];
    Arrays.fill(b, value);
    return Files.write(dir.resolve(name), b);
  }

  private static String hexOf(IntactRun.Result r) {
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    return r.out().substring(0, r.out().indexOf(' '));
  }

  @Test
  void defaultIsBlkhashSha256With64KiBBlocks() throws IOException {
    Path a = filled("a", (byte) 'A', 64 * KIB);
    assertThat(IntactRun.run("sum", a.toString()).out())
        .isEqualTo("2e3a5f57d5e726ee5de62db1a85ff816f4fa6ea4627807d9a51bdc4c883e165e  " + a + "\n");
  }

  @Test
  void blkhashVectors() throws IOException {
    assertThat(hexOf(IntactRun.run("sum", sparse("z64", new byte[0], 64 * KIB).toString())))
        .isEqualTo("8ab067ab7939a3d4f40cbb118956c07c06aeae2d075d6e0a2ebbb94bd42832af");
    assertThat(hexOf(IntactRun.run("sum", filled("a32", (byte) 'A', 32 * KIB).toString())))
        .isEqualTo("9467334d6d7668a2f06898185b5cddc78cdfbd962f50c6bf250101f03a0e54dc");
    assertThat(hexOf(IntactRun.run("sum", sparse("z8.5", new byte[0], 17 * 32 * KIB).toString())))
        .isEqualTo("e623a5702b1feb08fbb3d18e35bbb7ec10146b8cd1bcff811200a3948c78c55c");
    byte[] six = new byte[6 * 32 * KIB];
    for (int i = 0; i < 6; i++) {
      Arrays.fill(six, i * 32 * KIB, (i + 1) * 32 * KIB, (byte) ('A' + i));
    }
    assertThat(hexOf(IntactRun.run("sum", Files.write(dir.resolve("abcdef"), six).toString())))
        .isEqualTo("4ab1586084326f5beb911621282e9557cd26856105eff7f78cace5986af4738b");
    assertThat(hexOf(IntactRun.run("sum", sparse("g", new byte[0], 1L << 30).toString())))
        .isEqualTo("c6d6562c3074a2caa0ceea3e1f460f3af678c792ed05e64157eb51e68ae5260d");
    assertThat(hexOf(IntactRun.run("sum", sparse("empty", new byte[0], 0).toString())))
        .isEqualTo("af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc");
  }

  @ParameterizedTest
  @CsvSource({
    "imageio, 4194304, f426bb2cf1e1901fe4e87423950944ecfed6d9d18a09e6e802aa4912e1c9b2d6",
    "imageio, 3145728, 42f3b76772a6d3dcffae2a24697721687975e2c60ddfd4ba7831ea9ce772ca71",
    "imageio, 5242880, 0da53b583fc1fbbac7edea14454c79f84a8107613e614f2c7a47071dfdcf41a6",
    "imageio, 0, 0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
    "imageio:sha1, 4194304, 3ed03b375b6658d99b63ced1867a95aeef080b79",
    "imageio:sha1, 5242880, d3936edd8e3a8ff10e8257a9f460d8da67838549",
  })
  void imageioVectors(String algorithm, long length, String expected) throws IOException {
    Path p = sparse("data", "data".getBytes(StandardCharsets.US_ASCII), length);
    assertThat(hexOf(IntactRun.run("sum", "-a", algorithm, p.toString()))).isEqualTo(expected);
  }

  @Test
  void imageioWithAnotherBlockSize() throws IOException {
    byte[] x = new byte[65536];
    Arrays.fill(x, (byte) 'x');
    Path p = sparse("x", x, 3 * MIB);
    assertThat(hexOf(IntactRun.run("sum", "-a", "imageio", "--block-size", "1M", p.toString())))
        .isEqualTo("7647042a30c72f84207d47c9b3ec2357e291591d5131ad90dc690e3020d0d0db");
  }

  @Test
  void theValueNeverDependsOnTheThreadCount() throws IOException {
    byte[] data = new byte[3 * MIB + 12345];
    new java.util.Random(7).nextBytes(data);
    Path p = Files.write(dir.resolve("random"), data);
    String one = IntactRun.run("sum", "-j", "1", "-a", "blkhash", p.toString()).out();
    assertThat(IntactRun.run("sum", "-j", "3", "-a", "blkhash", p.toString()).out()).isEqualTo(one);
    String imageio =
        IntactRun.run("sum", "-j", "1", "-a", "imageio", "--block-size", "1M", p.toString()).out();
    assertThat(
            IntactRun.run("sum", "-j", "4", "-a", "imageio", "--block-size", "1M", p.toString())
                .out())
        .isEqualTo(imageio);
  }

  @Test
  void standardInputGivesTheFileValueWhenTheFileEndsOnASector() throws IOException {
    byte[] data = new byte[200_192]; // 391 sectors of 512
    new java.util.Random(3).nextBytes(data);
    Path p = Files.write(dir.resolve("f"), data);
    for (String alg : new String[] {"blkhash", "imageio", "sha256"}) {
      String file = IntactRun.run("sum", "-a", alg, p.toString()).out();
      String stdin = IntactRun.runWithStdin(data, "sum", "-a", alg).out();
      assertThat(stdin).isEqualTo(file.replace(p.toString(), "-"));
    }
  }

  @Test
  void blockListsOfAnUnalignedFileDifferFromItsStreamAsBlksumsDo() throws IOException {
    // blksum FILE hashes the file padded to 512 (qemu's view), blksum < FILE the stream itself;
    // SumPeerEqualityTest holds both to blksum's recorded values.
    byte[] data = new byte[200_000];
    new java.util.Random(3).nextBytes(data);
    Path p = Files.write(dir.resolve("g"), data);
    for (String alg : new String[] {"blkhash", "imageio"}) {
      String file = IntactRun.run("sum", "-a", alg, p.toString()).out();
      String stdin = IntactRun.runWithStdin(data, "sum", "-a", alg).out();
      assertThat(stdin).isNotEqualTo(file.replace(p.toString(), "-"));
      byte[] padded = java.util.Arrays.copyOf(data, 200_192);
      assertThat(IntactRun.runWithStdin(padded, "sum", "-a", alg).out())
          .isEqualTo(file.replace(p.toString(), "-"));
    }
    String sha = IntactRun.run("sum", "-a", "sha256", p.toString()).out();
    assertThat(IntactRun.runWithStdin(data, "sum", "-a", "sha256").out())
        .isEqualTo(sha.replace(p.toString(), "-"));
  }

  @Test
  void jsonRecordsCarryTheBlockSizeOfBlockLists() throws IOException {
    Path a = filled("a", (byte) 'A', 64 * KIB);
    assertThat(IntactRun.run("sum", "--json", a.toString()).out())
        .isEqualTo(
            "{\"algorithm\":\"blkhash\",\"block_size\":65536,\"checksum\":"
                + "\"2e3a5f57d5e726ee5de62db1a85ff816f4fa6ea4627807d9a51bdc4c883e165e\","
                + "\"size\":65536,\"file\":\""
                + a
                + "\"}\n");
  }

  @Test
  void tagsAndJsonCarryTheBlockSizeIntoCheck() throws IOException {
    byte[] data = new byte[5 * MIB];
    new java.util.Random(5).nextBytes(data);
    Path p = Files.write(dir.resolve("disk.img"), data);
    String tagged =
        IntactRun.run("sum", "--tag", "-a", "blkhash:sha1", "--block-size", "1M", p.toString())
                .out()
            + IntactRun.run("sum", "--tag", "-a", "imageio", p.toString()).out()
            + IntactRun.run("sum", "--tag", "-a", "crc32c", p.toString()).out();
    assertThat(tagged)
        .startsWith("BLKHASH:SHA1/1M (" + p + ") = ")
        .contains("\nIMAGEIO (" + p + ") = ")
        .contains("\nCRC32C (" + p + ") = ");
    Path tags = Files.writeString(dir.resolve("SUMS"), tagged);
    String json =
        IntactRun.run("sum", "--json", "--block-size", "128K", "-r", "1M:", p.toString()).out();
    Path jsonSums = Files.writeString(dir.resolve("SUMS.json"), json);

    IntactRun.Result ok = IntactRun.run("sum", "-c", tags.toString(), "-c", jsonSums.toString());
    assertThat(ok.out()).isEqualTo((p + ": OK\n").repeat(4));
    assertThat(ok.exit()).isZero();

    data[4 * MIB + 1] ^= 1; // in the range of the JSON line, in every checksum
    Files.write(p, data);
    IntactRun.Result failed =
        IntactRun.run("sum", "-c", tags.toString(), "-c", jsonSums.toString());
    assertThat(failed.out()).isEqualTo((p + ": FAILED\n").repeat(4));
    assertThat(failed.err()).contains("WARNING: 3 computed checksums did NOT match");
    assertThat(failed.exit()).isEqualTo(1);
  }

  @Test
  void holesAndAllocatedZerosGiveTheSameValues() throws IOException {
    byte[] text = "intact".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
    Path holes = dir.resolve("holes.img");
    try (RandomAccessFile f = new RandomAccessFile(holes.toFile(), "rw")) {
      f.setLength(40L * MIB);
      f.seek(8L * MIB);
      f.write(text);
      f.seek(30L * MIB + 17);
      f.write(text);
    }
    byte[] dense = Files.readAllBytes(holes); // the same bytes, every block allocated
    Path full = Files.write(dir.resolve("full.img"), dense);
    for (String alg : new String[] {"blkhash", "imageio", "sha256", "imageio:sha256"}) {
      assertThat(hexOf(IntactRun.run("sum", "-a", alg, holes.toString())))
          .as(alg)
          .isEqualTo(hexOf(IntactRun.run("sum", "-a", alg, full.toString())));
    }
  }
}
