package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/intact} as users run it, after {@code package} (failsafe): no JVM warnings, exit codes
 * through the launcher, the AOT cache made and never fatal, and the progress bar on a terminal
 * only.
 */
class LauncherIT {
  private static final Path ROOT = Path.of(System.getProperty("intact.root")).toAbsolutePath();
  private static final Path LAUNCHER = ROOT.resolve("bin/intact");
  private static final Path AOT = ROOT.resolve("intact-cli/target/intact-cli.aot");
  private static final ExternalTool SCRIPT = ExternalTool.of("script", "bsdutils");

  @TempDir Path dir;

  private Tools.Result intact(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    return run(env, command);
  }

  private Tools.Result run(Map<String, String> env, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      int exit = pb.start().waitFor();
      return new Tools.Result(
          exit,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void sumsLikeSha256sumWithoutAWordOnStderr() throws IOException {
    byte[] data = new byte[100_000];
    new Random(1).nextBytes(data);
    Path f = Files.write(dir.resolve("f.bin"), data);
    Tools.Result ours = intact(Map.of(), "sum", "-a", "sha256", f.toString());
    assertThat(ours.err()).isEmpty();
    assertThat(ours.exit()).isZero();
    assertThat(ours.out()).isEqualTo(Tools.SHA256SUM.run(f.toString()));
    assertThat(AOT).as("the AOT cache made after the build").exists();
  }

  @Test
  void exitCodesPassThroughTheLauncher() {
    Tools.Result usage = intact(Map.of(), "sum", "-a", "nope", "x");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).startsWith("intact: unknown checksum algorithm 'nope'");
    Tools.Result missing = intact(Map.of(), "sum", dir.resolve("missing").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo("intact: " + dir.resolve("missing") + ": No such file or directory\n");
    Tools.Result version = intact(Map.of(), "--version");
    assertThat(version.out()).startsWith("intact 0.");
  }

  @Test
  void aBrokenAotCacheIsNeverFatal() throws IOException {
    intact(Map.of(), "--version"); // makes sure the cache exists and is current
    byte[] saved = Files.readAllBytes(AOT);
    FileTime time = Files.getLastModifiedTime(AOT);
    try {
      Files.write(AOT, "not a cache".getBytes(StandardCharsets.US_ASCII));
      Files.setLastModifiedTime(AOT, FileTime.from(Instant.now()));
      Tools.Result r = intact(Map.of(), "sum", "-a", "crc32c", "/etc/hostname");
      assertThat(r.err()).isEmpty();
      assertThat(r.exit()).isZero();
      assertThat(r.out()).endsWith("  /etc/hostname\n");
    } finally {
      Files.write(AOT, saved);
      Files.setLastModifiedTime(AOT, time);
    }
  }

  @Test
  void progressBarOnATerminalOnly() throws IOException {
    Path img = dir.resolve("img");
    try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
      f.setLength(64L << 20);
      f.write("data".getBytes(StandardCharsets.US_ASCII));
    }
    Map<String, String> noDelay = Map.of("INTACT_JAVA_OPTS", "-Dintact.progress.delay=0");
    Tools.Result piped = intact(noDelay, "sum", "-a", "sha256", img.toString());
    assertThat(piped.err()).as("no bar on a pipe").isEmpty();

    String command = LAUNCHER + " sum -a sha256 " + img + " >" + dir.resolve("tty.out");
    Tools.Result tty =
        run(noDelay, List.of(SCRIPT.require().toString(), "-qec", command, "/dev/null"));
    assertThat(tty.exit()).isZero();
    assertThat(tty.out()).as("the terminal").contains("64/64 MiB").contains("100%");
    assertThat(tty.out().toLowerCase(java.util.Locale.ROOT)).doesNotContain("warning");
    assertThat(Files.readString(dir.resolve("tty.out"))).isEqualTo(piped.out());
  }
}
