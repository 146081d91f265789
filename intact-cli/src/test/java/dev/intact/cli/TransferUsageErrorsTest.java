package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transfer, ticket and serve commands speak sum's vocabulary (-a, --block-size, -r START:END
 * with sizes, durations with units) and every bad value is a usage error, exit 2, one line naming
 * it, before any connection is made (the URLs below point at a port nothing listens on).
 */
class TransferUsageErrorsTest {
  private static final String URL = "https://127.0.0.1:9/images/abcd";

  @TempDir static Path dir;

  static Stream<Arguments> usageErrors() throws IOException {
    Path img = Files.write(dir.resolve("img.raw"), new byte[4096]);
    String f = img.toString();
    return Stream.of(
        Arguments.of(new String[] {"upload", "--range", "5-3", f, URL}, "range end 3 is before"),
        Arguments.of(new String[] {"upload", "-r", "4MB:8MB", f, URL}, "'4MB' is ambiguous"),
        Arguments.of(new String[] {"upload", "-a", "nope", f, URL}, "unknown checksum algorithm"),
        Arguments.of(
            new String[] {"upload", "--checksum", "nope", f, URL}, "unknown checksum algorithm"),
        Arguments.of(new String[] {"upload", "--block-size", "1MB", f, URL}, "'1MB' is ambiguous"),
        Arguments.of(
            new String[] {"upload", f, "ftp://127.0.0.1:9/images/abcd"},
            "the scheme ftp:// is not a daemon's"),
        Arguments.of(
            new String[] {"upload", f, "127.0.0.1:9/images/abcd"},
            "has no scheme: write https://127.0.0.1:9/images/abcd"),
        Arguments.of(new String[] {"upload", f, "https://h/images/a b"}, "is not a URL"),
        Arguments.of(
            new String[] {"upload", "--cafile", dir.resolve("nosuch.pem").toString(), f, URL},
            "nosuch.pem: No such file or directory"),
        Arguments.of(
            new String[] {"upload", "--expected", "nope:00", f, URL}, "--expected: unknown"),
        Arguments.of(new String[] {"upload", "-j", "0", f, URL}, "at least 1"),
        Arguments.of(
            new String[] {"download", "-r", "1M:", URL, dir.resolve("d.raw").toString()},
            "give END"),
        Arguments.of(new String[] {"copy", "-a", "nope", URL, URL}, "unknown checksum algorithm"),
        Arguments.of(new String[] {"copy", URL, "http//x"}, "DEST_URL 'http//x' has no scheme"),
        Arguments.of(new String[] {"ticket", "add", "--timeout", "10x", f}, "not a duration"),
        Arguments.of(new String[] {"ticket", "add", "--size", "1GB", f}, "'1GB' is ambiguous"),
        Arguments.of(
            new String[] {"ticket", "add", "--volume", "nbd+unix:///?socket=/tmp/x.sock"},
            "--volume needs a file, not an NBD URL"),
        Arguments.of(
            new String[] {"ticket", "add", "--volume", "--raw", f},
            "--volume and --raw exclude each other"),
        Arguments.of(new String[] {"ticket", "extend", "id", "soon"}, "not a duration"),
        Arguments.of(
            new String[] {"serve", "--root", ".", "--idle-timeout", "1y"}, "not a duration"),
        Arguments.of(
            new String[] {"serve", "--config", dir.resolve("nosuch.json").toString()},
            "nosuch.json: No such file or directory"),
        Arguments.of(new String[] {"sum", "-b", "1M", f}, "write --block-size SIZE"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void aBadValueIsAUsageErrorNamingIt(String[] args, String says) {
    IntactRun.Result r = IntactRun.run(args);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("intact: ").contains(says).doesNotContain("Exception");
    assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(2); // + "Try ... --help"
  }

  @Test
  void aConfigKeyThatDoesNotExistIsNamedWithTheKeysThereAre() throws IOException {
    Path config = Files.writeString(dir.resolve("bad.json"), "{\n  \"rootz\": [\"/tmp\"]\n}\n");
    IntactRun.Result r = IntactRun.run("serve", "--config", config.toString(), "--root", ".");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("bad.json: unknown key \"rootz\"", "roots", "state_dir")
        .doesNotContain("class dev.intact", "not marked as ignorable", "Unrecognized field");
  }

  @Test
  void aMissingImageIsNamedInOneLineAndExitsOne() {
    String nosuch = dir.resolve("nosuch.raw").toString();
    IntactRun.Result up = IntactRun.run("upload", "--no-progress", nosuch, URL);
    assertThat(up.exit()).isEqualTo(1);
    assertThat(up.err()).isEqualTo("intact: " + nosuch + ": No such file or directory\n");
    IntactRun.Result add = IntactRun.run("ticket", "add", nosuch);
    assertThat(add.exit()).isEqualTo(1);
    assertThat(add.err()).isEqualTo("intact: " + nosuch + ": No such file or directory\n");
  }

  @Test
  void durationsTakeSecondsOrUnits() {
    assertThat(TimeSpan.parse("600")).isEqualTo(Duration.ofMinutes(10));
    assertThat(TimeSpan.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(TimeSpan.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(TimeSpan.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(TimeSpan.parse(" 45S ")).isEqualTo(Duration.ofSeconds(45));
    for (String bad : new String[] {"", "m", "1h30", "-5", "1.5h", "10 m", "1w"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TimeSpan.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a duration");
    }
  }

  @Test
  void downloadHelpSpeaksOfDownloading() {
    IntactRun.Result up = IntactRun.run("upload", "--help");
    IntactRun.Result down = IntactRun.run("download", "--help");
    assertThat(down.exit()).isZero();
    assertThat(down.out())
        .contains("Download a daemon's image", "checksum computed while receiving")
        .doesNotContain("Upload IMAGE");
    assertThat(up.out()).contains("-a, --algorithm=ALG", "--block-size=SIZE", "-r, --range");
    assertThat(up.out()).as("the old name is read, not shown").doesNotContain("--checksum");
  }
}
