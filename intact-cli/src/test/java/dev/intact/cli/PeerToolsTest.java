package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code intact sum} prints, byte for byte, what each algorithm's Debian tool prints (in GNU or tag
 * form, whichever the tool writes), and checks the sum files those tools write.
 */
class PeerToolsTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void file() throws IOException {
    byte[] data = new byte[300_001];
    new Random(11).nextBytes(data);
    file = Files.write(dir.resolve("data.bin"), data);
  }

  @ParameterizedTest(name = "{0} = {2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sha256      | ''    | sha256sum | coreutils | ''",
        "sha256      | --tag | sha256sum | coreutils | --tag",
        "md5         | ''    | md5sum    | coreutils | ''",
        "sha1        | --tag | sha1sum   | coreutils | --tag",
        "sha512      | ''    | sha512sum | coreutils | ''",
        "blake2b-256 | ''    | b2sum     | coreutils | -l 256",
        "blake2b-256 | --tag | b2sum     | coreutils | -l 256 --tag",
        "blake2b-512 | --tag | b2sum     | coreutils | --tag",
        "xxh64       | ''    | xxhsum    | xxhash    | -H64",
        "xxh64       | --tag | xxhsum    | xxhash    | -H64 --tag",
        "xxh3-64     | --tag | xxhsum    | xxhash    | -H3",
        "xxh3-128    | ''    | xxhsum    | xxhash    | -H128",
        "crc32c      | ''    | rhash     | rhash     | --crc32c",
        "crc32       | --tag | rhash     | rhash     | --bsd --crc32",
        "blake3      | ''    | b3sum     | b3sum     | ''",
      })
  void printsWhatThePeerPrints(
      String algorithm, String format, String tool, String pkg, String toolArgs) {
    ExternalTool peer = ExternalTool.of(tool, pkg);
    String expected = peer.run(args(toolArgs, file.toString()));
    IntactRun.Result ours =
        IntactRun.run(args("sum -a " + algorithm + " " + format, file.toString()));
    assertThat(ours.exit()).isZero();
    assertThat(ours.out()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "b2sum  | coreutils | --tag",
        "b2sum  | coreutils | -l 256 --tag",
        "xxhsum | xxhash    | -H3",
        "xxhsum | xxhash    | -H64 --tag",
        "xxhsum | xxhash    | -H128 --tag",
        "rhash  | rhash     | --bsd --crc32c --sha256 --md5 --sha1",
      })
  void checksTagFilesThePeersWrite(String tool, String pkg, String toolArgs) throws IOException {
    String sums = ExternalTool.of(tool, pkg).run(args(toolArgs, file.toString()));
    Path sumFile = Files.writeString(dir.resolve("SUMS"), sums);
    long lines = sums.lines().count();
    IntactRun.Result ok = IntactRun.run("sum", "-c", sumFile.toString());
    assertThat(ok.err()).isEmpty();
    assertThat(ok.out()).isEqualTo((file + ": OK\n").repeat((int) lines));
    assertThat(ok.exit()).isZero();
    Files.writeString(file, "changed");
    IntactRun.Result failed = IntactRun.run("sum", "-c", sumFile.toString());
    assertThat(failed.out()).isEqualTo((file + ": FAILED\n").repeat((int) lines));
    assertThat(failed.exit()).isEqualTo(1);
  }

  private static String[] args(String words, String last) {
    String trimmed = words.strip();
    String[] head = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    String[] all = java.util.Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }
}
