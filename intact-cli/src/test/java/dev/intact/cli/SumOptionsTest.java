package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Option validation and error paths: one line on stderr, exit 2 for usage, 1 for failures. */
class SumOptionsTest {
  private static final String HELLO_SHA256 =
      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

  @TempDir Path dir;

  private Path hello() throws IOException {
    return Files.writeString(dir.resolve("hello"), "hello\n");
  }

  /** A usage error: exit 2, the message on the first line, the hint on the second. */
  private static void assertUsageError(IntactRun.Result r, String message) {
    assertThat(r.exit()).as("exit status").isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList())
        .as(r.err())
        .hasSize(2)
        .satisfies(
            lines -> {
              assertThat(lines.get(0)).startsWith("intact: ").contains(message);
              assertThat(lines.get(1)).isEqualTo("Try 'intact sum --help' for more information.");
            });
  }

  @Test
  void unknownAlgorithmIsAUsageErrorListingTheKnownOnes() throws IOException {
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha257", hello().toString());
    assertUsageError(r, "unknown checksum algorithm 'sha257'");
    assertThat(r.err()).contains("sha256");
  }

  @Test
  void unknownInnerAlgorithmOfABlockListIsAUsageError() throws IOException {
    assertUsageError(
        IntactRun.run("sum", "-a", "imageio:nope", hello().toString()),
        "unknown checksum algorithm 'nope'");
  }

  @ParameterizedTest
  @CsvSource({
    "3X, '3X' is not a size",
    "-4K, '-4K' is not a size",
    "99999999999T, too large",
  })
  void badBlockSizeTextIsAUsageError(String size, String message) throws IOException {
    assertUsageError(IntactRun.run("sum", "--block-size", size, hello().toString()), message);
  }

  @ParameterizedTest
  @CsvSource({
    "blkhash, 1000, block size 1000 is not valid for blkhash",
    "blkhash, 128M, block size 134217728 is not valid for blkhash",
    "imageio, 64K, block size 65536 is not valid for imageio",
    "imageio, 8G, block size 8589934592 is too large",
    "sha256, 64K, --block-size applies only to block-hash lists",
  })
  void blockSizeOutsideTheAllowedRangeIsAUsageError(String alg, String size, String message)
      throws IOException {
    assertUsageError(
        IntactRun.run("sum", "-a", alg, "--block-size", size, hello().toString()), message);
  }

  @ParameterizedTest
  @CsvSource({
    "12, is not a range",
    "1:2:3, is not a range",
    "4K:1K, range end 1024 is before its start 4096",
    "x:, 'x' is not a size",
  })
  void badRangeIsAUsageError(String range, String message) throws IOException {
    assertUsageError(IntactRun.run("sum", "--range", range, hello().toString()), message);
  }

  @Test
  void rangePastTheEndFailsThatFileOnly() throws IOException {
    Path hello = hello();
    IntactRun.Result r =
        IntactRun.run("sum", "-a", "sha256", "--range", "0:7", hello.toString(), hello.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(("intact: range [0, 7) is outside " + hello + " (size 6 bytes)\n").repeat(2));
  }

  @Test
  void rangeOfWholeStreamCoversTheGivenBytes() throws IOException {
    Path hello = hello();
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha256", "--range", "0:5", hello.toString());
    assertThat(r.out())
        .isEqualTo(
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  " + hello + "\n");
    assertThat(IntactRun.run("sum", "-a", "sha256", "--range", ":", hello.toString()).out())
        .startsWith(HELLO_SHA256);
    assertThat(IntactRun.run("sum", "-a", "sha256", "--range", "6:", hello.toString()).out())
        .startsWith("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void rangeOnStandardInputIsAUsageError() {
    assertUsageError(IntactRun.run("sum", "--range", "0:1"), "--range needs a file or device");
  }

  @Test
  void missingAndUnreadableFilesFailOneLineEachAndTheRestIsSummed() throws IOException {
    Path hello = hello();
    Path secret = Files.writeString(dir.resolve("secret"), "x");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    boolean root = Files.isReadable(secret); // root reads anything: then only the missing one fails
    Path missing = dir.resolve("missing");
    IntactRun.Result r =
        IntactRun.run(
            "sum", "-a", "sha256", missing.toString(), secret.toString(), hello.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).endsWith(HELLO_SHA256 + "  " + hello + "\n");
    assertThat(r.err()).startsWith("intact: " + missing + ": No such file or directory\n");
    if (!root) {
      assertThat(r.err()).endsWith("intact: " + secret + ": Permission denied\n");
    }
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aDirectoryIsAFailureNotACrash() {
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha256", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("intact: " + dir + ": ").hasLineCount(1);
  }

  @ParameterizedTest
  @CsvSource({"--quiet", "--status", "--strict", "--ignore-missing"})
  void checkOnlyOptionsNeedCheck(String option) throws IOException {
    assertUsageError(
        IntactRun.run("sum", option, hello().toString()),
        "the " + option + " option is meaningful only when checking (-c)");
  }

  @Test
  void tagAndJsonExcludeEachOther() throws IOException {
    assertUsageError(
        IntactRun.run("sum", "--tag", "--json", hello().toString()), "cannot be combined");
  }

  @Test
  void checkTakesSumFilesNotFileOperands() throws IOException {
    assertUsageError(
        IntactRun.run("sum", "-c", "SUMS", hello().toString()), "name sum files with -c");
    assertUsageError(IntactRun.run("sum", "-c", "SUMS", "--tag"), "not to checking");
  }

  @Test
  void threadsMustBePositive() throws IOException {
    assertUsageError(
        IntactRun.run("sum", "-j", "0", hello().toString()), "--threads must be at least 1");
  }

  @Test
  void unknownOptionSuggestsTheNearOne() {
    IntactRun.Result r = IntactRun.run("sum", "--stauts");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("intact: Unknown option: '--stauts'").contains("--status");
  }

  @Test
  void debugIsInheritedBySubcommands() {
    picocli.CommandLine cli =
        Cli.create(
            EngineSources::new,
            java.io.InputStream.nullInputStream(),
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new String[] {"sum", "--list", "--debug"});
    cli.parseArgs("sum", "--list", "--debug");
    assertThat(((IntactCommand) cli.getCommand()).debug()).isTrue();
    assertThat(Cli.debugRequested(new String[] {"sum", "--debug", "f"})).isTrue();
    assertThat(Cli.debugRequested(new String[] {"sum", "--", "--debug"})).isFalse();
  }

  @Test
  void debugShowsTheStackTraceOfAUsageError() throws IOException {
    IntactRun.Result r = IntactRun.run("sum", "--debug", "-a", "sha257", hello().toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown checksum algorithm").contains("\tat ");
  }

  @Test
  void missingCheckFileFails() {
    IntactRun.Result r = IntactRun.run("sum", "-c", dir.resolve("nope").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("intact: " + dir.resolve("nope") + ": No such file or directory\n");
  }

  @Test
  void malformedCheckLinesSayWhyOnStderr() throws IOException {
    Path hello = hello();
    Path sums =
        Files.writeString(
            dir.resolve("SUMS"),
            "SHA257 (" + hello + ") = 00\n" + HELLO_SHA256 + "  " + hello + "\n" + "abc  x\n");
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha256", "-c", sums.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(hello + ": OK\n");
    assertThat(r.err().lines())
        .containsExactly(
            "intact: "
                + sums
                + ": 1: improperly formatted checksum line: "
                + "unknown checksum algorithm 'sha257' (known: "
                + r.err().lines().findFirst().orElseThrow().replaceFirst(".*known: ", ""),
            "intact: "
                + sums
                + ": 3: improperly formatted checksum line: not a sha256 line "
                + "('HEX  NAME' with 64 hex digits, or 'ALG (NAME) = HEX')",
            "intact: WARNING: 2 lines are improperly formatted");
  }

  @Test
  void listShowsAlgorithmsWithBitsAndTheBlockHashForms() {
    IntactRun.Result r = IntactRun.run("sum", "--list");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .containsPattern("(?m)^  sha256 +256  sha-256$")
        .containsPattern("(?m)^  adler32 +32  adler$")
        .containsPattern("(?m)^  imageio +blake2b-256 +4M +1M-16M ")
        .containsPattern("(?m)^  blkhash +sha256 +64K +4K-64M ")
        .contains("Default: blkhash");
  }

  @Test
  void helpTeachesWithExamples() {
    IntactRun.Result top = IntactRun.run("--help");
    assertThat(top.exit()).isZero();
    assertThat(top.out()).contains("Commands:").contains("sum").contains("Examples:");
    IntactRun.Result sum = IntactRun.run("sum", "--help");
    assertThat(sum.out())
        .contains("--block-size=SIZE")
        .contains("intact sum -a sha256 -c SHA256SUMS")
        .contains("Exit status");
    assertThat(IntactRun.run("help", "sum").out()).isEqualTo(sum.out());
  }

  @Test
  void versionNamesIntactAndJava() {
    IntactRun.Result r = IntactRun.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("intact ").contains("Java " + Runtime.version());
  }

  @Test
  void onlyTheSubcommandBeingRunIsRegistered() {
    java.io.PrintWriter none = new java.io.PrintWriter(java.io.Writer.nullWriter());
    java.io.InputStream in = java.io.InputStream.nullInputStream();
    String[] sum = {"--debug", "sum", "-a", "sha256", "f"};
    assertThat(Cli.create(EngineSources::new, in, none, none, sum).getSubcommands())
        .containsOnlyKeys("sum");
    String[] version = {"--version"};
    assertThat(Cli.create(EngineSources::new, in, none, none, version).getSubcommands()).isEmpty();
    String[] versionAndHelp = {"--version", "--help"};
    assertThat(Cli.create(EngineSources::new, in, none, none, versionAndHelp).getSubcommands())
        .containsKeys("sum", "help");
    String[] help = {"--help"};
    assertThat(Cli.create(EngineSources::new, in, none, none, help).getSubcommands())
        .containsKeys("sum", "help");
    IntactRun.Result typo = IntactRun.run("summ", "x");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("Did you mean").contains("sum");
  }

  @Test
  void intactAloneIsAUsageErrorShowingTheCommands() {
    IntactRun.Result r = IntactRun.run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Commands:").contains("sum");
  }

  @Test
  void jsonRecordsNameAlgorithmChecksumSizeAndFile() throws IOException {
    Path hello = hello();
    assertThat(IntactRun.run("sum", "-a", "sha256", "--json", hello.toString()).out())
        .isEqualTo(
            "{\"algorithm\":\"sha256\",\"checksum\":\""
                + HELLO_SHA256
                + "\",\"size\":6,\"file\":\""
                + hello
                + "\"}\n");
    assertThat(
            IntactRun.run("sum", "-a", "sha256", "--json", "--range", "1:3", hello.toString())
                .out())
        .contains("\"size\":2,\"range\":{\"start\":1,\"end\":3},");
  }

  @Test
  void jsonLinesAreCheckedWithTheirRange() throws IOException {
    Path hello = hello();
    String json =
        IntactRun.run("sum", "-a", "sha256", "--json", "--range", "1:3", hello.toString()).out();
    Path sums = Files.writeString(dir.resolve("SUMS.json"), json);
    IntactRun.Result ok = IntactRun.run("sum", "-c", sums.toString());
    assertThat(ok.out()).isEqualTo(hello + ": OK\n");
    assertThat(ok.exit()).isZero();
    Files.writeString(hello, "HEllo\n");
    IntactRun.Result failed = IntactRun.run("sum", "-c", sums.toString());
    assertThat(failed.out()).isEqualTo(hello + ": FAILED\n");
    assertThat(failed.exit()).isEqualTo(1);
  }

  @Test
  void checkAppliesTheRangeToLinesWithoutOne() throws IOException {
    Path hello = hello(); // sha256 of its first 5 bytes, "hello", listed as the whole file's
    Path sums =
        Files.writeString(
            dir.resolve("SUMS"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  " + hello + "\n");
    assertThat(IntactRun.run("sum", "-a", "sha256", "-c", sums.toString()).out())
        .isEqualTo(hello + ": FAILED\n");
    IntactRun.Result ranged =
        IntactRun.run("sum", "-a", "sha256", "--range", ":5", "-c", sums.toString());
    assertThat(ranged.out()).isEqualTo(hello + ": OK\n");
    assertThat(ranged.exit()).isZero();
  }

  @Test
  void tagsNameTheirAlgorithmWhatever_aSays() throws IOException {
    Path hello = hello();
    String tagged = IntactRun.run("sum", "-a", "sha256", "--tag", hello.toString()).out();
    assertThat(tagged).isEqualTo("SHA256 (" + hello + ") = " + HELLO_SHA256 + "\n");
    Path sums = Files.writeString(dir.resolve("SUMS"), tagged);
    assertThat(IntactRun.run("sum", "-a", "md5", "-c", sums.toString()).out())
        .isEqualTo(hello + ": OK\n");
  }

  @Test
  void untaggedValuesOfTheWrongLengthAreMalformed() throws IOException {
    Path hello = hello();
    Path sums =
        Files.writeString(
            dir.resolve("SUMS"), HELLO_SHA256 + "  " + hello + "\n", StandardCharsets.UTF_8);
    IntactRun.Result r = IntactRun.run("sum", "-a", "md5", "-c", sums.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no properly formatted checksum lines found");
  }
}
