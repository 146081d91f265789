package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names are bytes: a name that is not UTF-8 ({@code n\xff\xfe}) is summed, printed byte for
 * byte as {@code sha256sum} prints it, checked back from a sum file (ours and sha256sum's), and
 * carried in JSON as escapes. The locale side ({@code LC_ALL=C}, the JVM's decoding of arguments)
 * is in {@link LauncherIT}.
 */
class NonUtf8NamesTest {
  private static final ExternalTool BASH = ExternalTool.of("bash", "bash");
  private static final byte[] NAME_BYTES = {
    'n', (byte) 0xff, (byte) 0xfe, ' ', 'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9
  };

  @TempDir Path dir;
  private String name;

  @BeforeEach
  void file() throws IOException {
    name = dir + "/" + FileNames.decode(NAME_BYTES);
    Files.writeString(FileNames.toPath(name), "contents");
  }

  /** What sha256sum ARGS prints, as bytes: the name is spelled with bash's $'...' escapes. */
  private byte[] sha256sum(String args) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(BASH.require().toString(), "-c", "LC_ALL=C sha256sum " + args)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    return out;
  }

  private static final String BASH_NAME = "$'n\\xff\\xfe caf\\xc3\\xa9'";

  @Test
  void sumPrintsTheNameAsSha256sumDoes() throws Exception {
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha256", name);
    assertThat(r.err()).isEmpty();
    assertThat(FileNames.encode(r.out())).isEqualTo(sha256sum("'" + dir + "'/" + BASH_NAME));
  }

  @Test
  void aSumFileWithTheNameChecksBothWays() throws Exception {
    Path ours = dir.resolve("ours.sha256");
    Files.write(ours, FileNames.encode(IntactRun.run("sum", "-a", "sha256", name).out()));
    assertThat(new String(sha256sum("-c " + ours), StandardCharsets.ISO_8859_1)).endsWith(": OK\n");

    Path theirs = dir.resolve("theirs.sha256");
    Files.write(theirs, sha256sum("'" + dir + "'/" + BASH_NAME));
    IntactRun.Result r = IntactRun.run("sum", "-c", theirs.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(name + ": OK\n");
    assertThat(r.exit()).isZero();
  }

  @Test
  void jsonEscapesTheBytesAndReadsThemBack() throws IOException {
    IntactRun.Result json = IntactRun.run("sum", "-a", "sha256", "--json", name);
    assertThat(json.out().chars().allMatch(c -> c < 0x80)).as(json.out() + " in ASCII").isTrue();
    assertThat(json.out()).containsIgnoringCase("/n\\udcff\\udcfe caf\\u00e9\"}");
    Path sums = Files.writeString(dir.resolve("sums.json"), json.out());
    IntactRun.Result r = IntactRun.run("sum", "-c", sums.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(name + ": OK\n");
  }
}
