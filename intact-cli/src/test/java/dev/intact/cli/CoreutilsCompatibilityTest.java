package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code intact sum -a sha256} against coreutils {@code sha256sum}, the ground truth: the same
 * bytes on stdout, and for {@code -c} the same OK/FAILED lines, summary warnings and exit status
 * for every option. Paths are absolute so both run from any directory.
 */
class CoreutilsCompatibilityTest {
  private static final List<String> NAMES =
      List.of("a.bin", "b.bin", "empty", "with space", "back\\slash", "new\nline");

  @TempDir Path dir;

  @BeforeEach
  void files() throws IOException {
    Random random = new Random(42);
    for (String name : NAMES) {
      byte[] data = new byte[name.equals("empty") ? 0 : 1 + random.nextInt(200_000)];
      random.nextBytes(data);
      Files.write(dir.resolve(name), data);
    }
  }

  @Test
  void sumPrintsWhatSha256sumPrints() {
    String[] files = paths(NAMES);
    Tools.Result gnu = Tools.run(Tools.SHA256SUM, dir, new byte[0], files);
    IntactRun.Result ours = IntactRun.run(concat(new String[] {"sum", "-a", "sha256"}, files));
    assertThat(gnu.exit()).isZero();
    assertThat(ours.exit()).isZero();
    assertThat(ours.out()).isEqualTo(gnu.out()).contains("\\").hasLineCount(NAMES.size());
    assertThat(ours.err()).isEmpty();
  }

  @Test
  void tagPrintsWhatSha256sumTagPrints() {
    String[] files = paths(NAMES);
    Tools.Result gnu =
        Tools.run(Tools.SHA256SUM, dir, new byte[0], concat(new String[] {"--tag"}, files));
    IntactRun.Result ours =
        IntactRun.run(concat(new String[] {"sum", "-a", "sha256", "--tag"}, files));
    assertThat(ours.out()).isEqualTo(gnu.out()).startsWith("SHA256 (");
  }

  @Test
  void standardInputIsNamedDash() {
    byte[] data = "some input\n".getBytes(StandardCharsets.UTF_8);
    Tools.Result gnu = Tools.run(Tools.SHA256SUM, dir, data);
    assertThat(IntactRun.runWithStdin(data, "sum", "-a", "sha256").out())
        .isEqualTo(gnu.out())
        .endsWith("  -\n");
    assertThat(IntactRun.runWithStdin(data, "sum", "-a", "sha256", "-").out()).isEqualTo(gnu.out());
  }

  /** A check scenario: how to edit the sum file sha256sum wrote, what to break, which flags. */
  record Scenario(
      String description,
      boolean tagged,
      UnaryOperator<String> editSums,
      List<String> deleteFiles,
      List<String> corruptFiles,
      List<String> flags) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> scenarios() {
    UnaryOperator<String> same = s -> s;
    UnaryOperator<String> junk = s -> "# a comment\n\nnot a checksum line\n" + s + "junk\n";
    UnaryOperator<String> crlf = s -> s.replace("\n", "\r\n");
    UnaryOperator<String> onlyJunk = s -> "nonsense\n";
    UnaryOperator<String> shortHex = s -> s.replaceFirst("^[0-9a-f]{2}", "");
    List<String> none = List.of();
    List<Scenario> list =
        List.of(
            new Scenario("all ok", false, same, none, none, none),
            new Scenario("all ok, tags", true, same, none, none, none),
            new Scenario("all ok, quiet", false, same, none, none, List.of("--quiet")),
            new Scenario("one corrupt", false, same, none, List.of("b.bin"), none),
            new Scenario("one corrupt, tags", true, same, none, List.of("b.bin"), none),
            new Scenario("corrupt, quiet", false, same, none, List.of("a.bin"), List.of("--quiet")),
            new Scenario(
                "corrupt, status", false, same, none, List.of("a.bin"), List.of("--status")),
            new Scenario("two corrupt", false, same, none, List.of("a.bin", "back\\slash"), none),
            new Scenario("missing", false, same, List.of("b.bin"), none, none),
            new Scenario(
                "missing, status", false, same, List.of("b.bin"), none, List.of("--status")),
            new Scenario(
                "missing, ignored",
                false,
                same,
                List.of("b.bin"),
                none,
                List.of("--ignore-missing")),
            new Scenario(
                "missing ignored and corrupt",
                false,
                same,
                List.of("b.bin"),
                List.of("a.bin"),
                List.of("--ignore-missing")),
            new Scenario(
                "all missing, ignored", false, same, NAMES, none, List.of("--ignore-missing")),
            new Scenario(
                "all missing, ignored, status",
                false,
                same,
                NAMES,
                none,
                List.of("--ignore-missing", "--status")),
            new Scenario("junk lines", false, junk, none, none, none),
            new Scenario("junk lines, strict", false, junk, none, none, List.of("--strict")),
            new Scenario("junk lines, status", false, junk, none, none, List.of("--status")),
            new Scenario("junk lines, tags", true, junk, none, none, none),
            new Scenario("crlf", false, crlf, none, none, none),
            new Scenario("only junk", false, onlyJunk, none, none, none),
            new Scenario("only junk, status", false, onlyJunk, none, none, List.of("--status")),
            new Scenario("short first value", false, shortHex, none, none, none),
            new Scenario("upper-case hex", false, s -> upper(s), none, none, none));
    return list.stream().map(Arguments::of);
  }

  /** Upper-cases the hex values only, never the names. */
  private static String upper(String sums) {
    return sums.lines()
        .map(
            l ->
                l.startsWith("\\")
                    ? l
                    : l.substring(0, 64).toUpperCase(java.util.Locale.ROOT) + l.substring(64))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void checkBehavesAsSha256sumCheck(Scenario s) throws IOException {
    String[] files = paths(NAMES);
    String[] write = s.tagged() ? new String[] {"--tag"} : new String[0];
    String sums =
        s.editSums()
            .apply(Tools.run(Tools.SHA256SUM, dir, new byte[0], concat(write, files)).out());
    Path sumFile = dir.resolve("SHA256SUMS");
    Files.writeString(sumFile, sums);
    for (String name : s.deleteFiles()) {
      Files.delete(dir.resolve(name));
    }
    for (String name : s.corruptFiles()) {
      Files.writeString(dir.resolve(name), "corrupted");
    }
    String[] flags = s.flags().toArray(String[]::new);

    Tools.Result gnu =
        Tools.run(
            Tools.SHA256SUM,
            dir,
            new byte[0],
            concat(concat(new String[] {"-c"}, flags), sumFile.toString()));
    // Tagged files name their algorithm: no -a needed.
    String[] ours =
        s.tagged() ? new String[] {"sum", "-c"} : new String[] {"sum", "-a", "sha256", "-c"};
    IntactRun.Result intact = IntactRun.run(concat(concat(ours, sumFile.toString()), flags));

    assertThat(intact.exit()).as("exit status").isEqualTo(gnu.exit());
    assertThat(intact.out()).as("stdout").isEqualTo(gnu.out());
    assertThat(summary(intact.err(), "intact: "))
        .as("summary warnings")
        .isEqualTo(summary(gnu.err(), Tools.SHA256SUM.require() + ": "));
  }

  @Test
  void checkReadsTheSumFileFromStandardInput() throws IOException {
    String sums = Tools.run(Tools.SHA256SUM, dir, new byte[0], paths(NAMES)).out();
    Files.writeString(dir.resolve("a.bin"), "changed");
    byte[] in = sums.getBytes(StandardCharsets.UTF_8);
    Tools.Result gnu = Tools.run(Tools.SHA256SUM, dir, in, "-c", "-");
    IntactRun.Result ours = IntactRun.runWithStdin(in, "sum", "-a", "sha256", "-c", "-");
    assertThat(ours.exit()).isEqualTo(gnu.exit()).isEqualTo(1);
    assertThat(ours.out()).isEqualTo(gnu.out()).contains("a.bin: FAILED");
  }

  /** The lines that summarise a check, without the program name prefix. */
  private static List<String> summary(String stderr, String prefix) {
    return stderr
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .filter(
            l ->
                l.startsWith("WARNING:")
                    || l.endsWith("no file was verified")
                    || l.endsWith("no properly formatted checksum lines found"))
        .toList();
  }

  private String[] paths(List<String> names) {
    return names.stream().map(n -> dir.resolve(n).toString()).toArray(String[]::new);
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
