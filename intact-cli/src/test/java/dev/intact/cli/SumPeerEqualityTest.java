package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import dev.intact.core.testing.PeerFixtures;
import dev.intact.core.testing.PeerFixtures.Row;
import dev.intact.core.testing.PeerInputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code intact sum} prints what the real peers print for the same inputs (fixtures recorded from
 * blksum 0.11.0 and ovirt-imageio 2.5.3, {@code intact-core/src/test/resources/peers}): a file
 * argument is the guest's disk as qemu presents it (padded to 512 bytes), standard input is the
 * stream as it comes.
 */
class SumPeerEqualityTest {
  /**
   * imageio spells BLAKE2b-256 {@code blake2b} (hashlib with digest_size 32); blksum's OpenSSL
   * names ({@code blake2b512}) and imageio's other hashlib names ({@code sha3_256}) are Intact
   * aliases.
   */
  private static final Map<String, String> NAMES = Map.of("blake2b", "blake2b-256");

  @TempDir static Path dir;

  @BeforeAll
  static void inputs() throws IOException {
    for (String name : PeerInputs.names()) {
      PeerInputs.write(dir, name);
    }
  }

  static List<Row> blksum() {
    return PeerFixtures.read("blksum.tsv");
  }

  static List<Row> imageioClient() {
    return PeerFixtures.read("imageio-client.tsv").stream().filter(r -> !r.failed()).toList();
  }

  private static String[] sumArgs(String construction, Row row, String file) {
    String alg = construction + ":" + NAMES.getOrDefault(row.algorithm(), row.algorithm());
    return new String[] {"sum", "-a", alg, "--block-size", Integer.toString(row.blockSize()), file};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blksum")
  void printsWhatBlksumPrints(Row row) {
    IntactRun.Result r;
    String name;
    if (row.source().equals("file")) {
      name = dir.resolve(row.input() + ".raw").toString();
      r = IntactRun.run(sumArgs("blkhash", row, name));
    } else {
      name = "-";
      r = IntactRun.runWithStdin(PeerInputs.bytes(row.input()), sumArgs("blkhash", row, "-"));
    }
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(row.result() + "  " + name + "\n");
  }

  @Test
  void defaultTypeIsBlksumsDefaultForFilesAndPipes() {
    Row file = row("random-65537", "sha256", 65536, "file");
    Row pipe = row("random-65537", "sha256", 65536, "stdin");
    String path = dir.resolve("random-65537.raw").toString();
    assertThat(IntactRun.run("sum", path).out()).isEqualTo(file.result() + "  " + path + "\n");
    assertThat(IntactRun.runWithStdin(PeerInputs.bytes("random-65537"), "sum").out())
        .isEqualTo(pipe.result() + "  -\n");
    assertThat(file.result()).isNotEqualTo(pipe.result());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("imageioClient")
  void imageioFormPrintsWhatImageiosClientChecksumReturns(Row row) {
    String path = dir.resolve(row.input() + ".raw").toString();
    IntactRun.Result r = IntactRun.run(sumArgs("imageio", row, path));
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(row.result() + "  " + path + "\n");
  }

  @Test
  void jsonSizeIsTheSizeHashed() {
    String path = dir.resolve("random-1.raw").toString();
    assertThat(IntactRun.run("sum", "--json", path).out()).contains("\"size\":512,");
    assertThat(IntactRun.run("sum", "--json", "-a", "sha256", path).out()).contains("\"size\":1,");
    assertThat(IntactRun.runWithStdin(PeerInputs.bytes("random-1"), "sum", "--json").out())
        .contains("\"size\":1,");
  }

  @Test
  void emptyFileGetsImageiosDaemonValueWhereItsClientFails() {
    // client.checksum of an empty file raises inside imageio; its daemon answers H("").
    Row daemon =
        PeerFixtures.read("imageio-daemon.tsv").stream()
            .filter(r -> r.input().equals("empty") && r.algorithm().equals("blake2b"))
            .findFirst()
            .orElseThrow();
    assertThat(PeerFixtures.read("imageio-client.tsv").getFirst().failed()).isTrue();
    String path = dir.resolve("empty.raw").toString();
    assertThat(IntactRun.run("sum", "-a", "imageio", path).out())
        .isEqualTo(daemon.result() + "  " + path + "\n");
  }

  @Test
  void wholeStreamAlgorithmsStillSumTheFileItselfAsSha256sumDoes() {
    String path = dir.resolve("random-511.raw").toString();
    assertThat(IntactRun.run("sum", "-a", "sha256", path).out())
        .isEqualTo(ExternalTool.of("sha256sum", "coreutils").run(path));
  }

  private static Row row(String input, String algorithm, int blockSize, String source) {
    return blksum().stream()
        .filter(
            r ->
                r.input().equals(input)
                    && r.algorithm().equals(algorithm)
                    && r.blockSize() == blockSize
                    && r.source().equals(source))
        .findFirst()
        .orElseThrow();
  }
}
