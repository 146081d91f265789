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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/intact} as users run it, after {@code package} (failsafe): no JVM warnings, exit codes
 * through the launcher, the AOT cache made and never fatal, and the progress bar on a terminal
 * only.
 */
class LauncherIT {
  private static final Path ROOT = Path.of(System.getProperty("intact.root")).toAbsolutePath();
  private static final Path LAUNCHER = ROOT.resolve("bin/intact");
  // The launcher's two caches: short commands (sum, --version, help) and the rest.
  private static final Path SHORT_AOT = ROOT.resolve("intact-cli/target/intact-cli-short.aot");
  private static final Path AOT = ROOT.resolve("intact-cli/target/intact-cli.aot");
  private static final ExternalTool SCRIPT = ExternalTool.of("script", "bsdutils");
  private static final ExternalTool BASH = ExternalTool.of("bash", "bash");

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
    assertThat(SHORT_AOT).as("the short commands' AOT cache made after the build").exists();
  }

  /**
   * A short sum builds its command line without reading picocli annotations: each annotation type
   * read would make the JDK generate a proxy class at run time, which the AOT cache cannot hold.
   */
  @Test
  void aShortSumDefinesNoProxyClassAtRunTime() throws IOException {
    Path f = Files.write(dir.resolve("f.bin"), new byte[4096]);
    Tools.Result loaded =
        intact(
            Map.of("INTACT_JAVA_OPTS", "-Xlog:class+load=info:stdout"),
            "sum",
            "-a",
            "sha256",
            f.toString());
    assertThat(loaded.exit()).isZero();
    assertThat(loaded.out())
        .contains("dev.intact.cli.SumCommand")
        .doesNotContain("__dynamic_proxy__");
  }

  /**
   * A sum of a sparse raw image starts no logging back end: initialising SLF4J's provider is a
   * noticeable part of a short command's start, so classes on a sum's path get their loggers only
   * where they log.
   */
  @Test
  void aShortSumOfAnImageStartsNoLogging() throws IOException {
    Path f = dir.resolve("sparse.img");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(1L << 30);
    }
    Tools.Result loaded =
        intact(
            Map.of("INTACT_JAVA_OPTS", "-Xlog:class+load=info:stdout"),
            "sum",
            "-a",
            "imageio",
            f.toString());
    assertThat(loaded.exit()).isZero();
    assertThat(loaded.out())
        .contains("dev.intact.core.format.ImageOpener")
        .doesNotContain("org.slf4j.LoggerFactory");
  }

  /**
   * A small raw file is read without FFM, for block-hash lists as for whole-stream algorithms:
   * linking a downcall generates a stub class at run time, which the AOT cache cannot hold.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sha256", "imageio", "blkhash"})
  void aShortSumOfASmallFileLinksNoDowncall(String algorithm) throws IOException {
    byte[] data = new byte[100_000];
    new Random(2).nextBytes(data);
    Path f = Files.write(dir.resolve("small.bin"), data);
    Tools.Result loaded =
        intact(
            Map.of("INTACT_JAVA_OPTS", "-Xlog:class+load=info:stdout"),
            "sum",
            "-a",
            algorithm,
            f.toString());
    assertThat(loaded.exit()).isZero();
    assertThat(loaded.out())
        .contains("dev.intact.cli.SumCommand")
        .doesNotContain("jdk.internal.foreign.abi.DowncallStub");
  }

  /**
   * An xxh3 sum of a large file reads it into native memory and calls libxxhash through the one
   * stub its system calls link ({@code Posix.call}): a stub for reads into heap arrays and another
   * for hashing them would be spun and compiled at every such sum's start.
   */
  @Test
  void aLargeXxh3SumLinksOneDowncallStub() throws IOException {
    byte[] data = new byte[40 << 20];
    new Random(3).nextBytes(data);
    Path f = Files.write(dir.resolve("big.bin"), data);
    Tools.Result loaded =
        intact(
            Map.of("INTACT_JAVA_OPTS", "-Xlog:class+load=info:stdout"),
            "sum",
            "-a",
            "xxh3",
            f.toString());
    assertThat(loaded.exit()).isZero();
    assertThat(
            loaded.out().lines().filter(l -> l.contains("jdk.internal.foreign.abi.DowncallStub")))
        .hasSize(1);
  }

  @Test
  void otherCommandsUseTheirOwnCacheAndSayNothingMore() {
    Tools.Result help = intact(Map.of(), "info", "--help");
    assertThat(help.err()).isEmpty();
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: intact info");
    assertThat(AOT).as("the full AOT cache made for a command other than sum").exists();
  }

  /**
   * The transfer commands compile the JDK's AES-GCM and SHA-256 packages early. A CompileCommand
   * naming a package the JDK no longer has is silently ignored, so each one named must hold the
   * class that does the work; and "quiet" must keep the commands' stdout to their own output.
   */
  @Test
  void transfersCompileTheJdkCryptoEarlyAndSayNothingMore() throws Exception {
    String scaling = "CompileThresholdScaling,";
    Tools.Result flags =
        intact(Map.of("INTACT_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "upload", "--help");
    List<String> packages =
        flags
            .out()
            .lines()
            .filter(l -> l.contains(scaling))
            .map(l -> l.substring(l.indexOf(scaling) + scaling.length()))
            .map(p -> p.substring(0, p.indexOf(".*::")))
            .toList();
    assertThat(packages).containsExactly("com.sun.crypto.provider", "sun.security.provider");
    assertThat(Class.forName("com.sun.crypto.provider.GaloisCounterMode")).isNotNull();
    assertThat(Class.forName("sun.security.provider.SHA2")).isNotNull();
    Tools.Result help = intact(Map.of(), "upload", "--help");
    assertThat(help.err()).isEmpty();
    assertThat(help.out()).startsWith("Upload a disk image").contains("Usage: intact upload");
    Tools.Result sum = intact(Map.of("INTACT_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "sum", "--help");
    assertThat(sum.out()).as("short commands compile as usual").doesNotContain(scaling);
  }

  /**
   * {@code volume serve} runs for days under a bound of its RSS (issue 12), so both launchers cap
   * its heap and trim the C heap, with the same values: the repository's (asked through the JVM's
   * flags) and the installed one (run from a copy of the install tree whose {@code java} prints its
   * arguments). Other commands keep the JVM's defaults.
   */
  @Test
  void bothLaunchersBoundTheMemoryOfVolumeServeAlike() throws IOException {
    Path root = dir.resolve("usr/lib/intact");
    Path installed = Files.createDirectories(root.resolve("bin")).resolve("intact");
    Files.copy(ROOT.resolve("packaging/intact.sh"), installed);
    Path java = Files.createDirectories(root.resolve("runtime/bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    assertThat(installed.toFile().setExecutable(true) && java.toFile().setExecutable(true))
        .isTrue();
    List<String> serve =
        run(Map.of(), List.of(installed.toString(), "volume", "serve", "v.vol", "--socket", "s"))
            .out()
            .lines()
            .toList();
    assertThat(serve).endsWith("volume", "serve", "v.vol", "--socket", "s");
    List<String> heap = serve.stream().filter(a -> a.startsWith("-Xmx")).toList();
    List<String> trim =
        serve.stream().filter(a -> a.startsWith("-XX:TrimNativeHeapInterval=")).toList();
    assertThat(heap).as("the installed launcher's heap cap").hasSize(1);
    assertThat(trim).as("the installed launcher's trim interval").hasSize(1);
    assertThat(run(Map.of(), List.of(installed.toString(), "volume", "check", "v.vol")).out())
        .doesNotContain("-Xmx")
        .doesNotContain("TrimNativeHeapInterval");

    Map<String, String> serveFlags = flags("volume", "serve", "--help");
    Map<String, String> checkFlags = flags("volume", "check", "--help");
    long cap = bytes(heap.getFirst().substring("-Xmx".length()));
    assertThat(serveFlags.get("MaxHeapSize")).isEqualTo(Long.toString(cap));
    assertThat(checkFlags.get("MaxHeapSize")).isNotEqualTo(Long.toString(cap));
    String interval = trim.getFirst().substring(trim.getFirst().indexOf('=') + 1);
    assertThat(serveFlags.get("TrimNativeHeapInterval")).isEqualTo(interval).isNotEqualTo("0");
    assertThat(checkFlags.get("TrimNativeHeapInterval")).isEqualTo("0");
  }

  /**
   * Commands that name blake3 get the Vector API and compile its kernel early, in the foreground
   * and without on-stack replacement, from both launchers alike (the installed one run from a copy
   * of the install tree whose {@code java} prints its arguments); other commands keep the JVM's
   * defaults. The kernel's class must exist: a CompileCommand naming no class is silently ignored.
   */
  @Test
  void blake3CommandsCompileTheVectorKernelEarlyInBothLaunchers() throws Exception {
    String kernel = "dev.intact.core.hash.Blake3Vectors";
    assertThat(Class.forName(kernel, false, LauncherIT.class.getClassLoader())).isNotNull();
    assertThat(flags("sum", "-a", "BLAKE3", "--help").get("UseOnStackReplacement"))
        .isEqualTo("false");
    assertThat(
            intact(Map.of("INTACT_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "sum", "-ablake3", "-h")
                .out())
        .contains("CompileThresholdScaling," + kernel + "::*,0.01")
        .contains("BackgroundCompilation," + kernel + "::*,false");
    assertThat(flags("sum", "-a", "sha256", "--help").get("UseOnStackReplacement"))
        .isEqualTo("true");
    assertThat(intact(Map.of("INTACT_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "sum", "--help").out())
        .doesNotContain(kernel);

    Path root = dir.resolve("usr/lib/intact");
    Path installed = Files.createDirectories(root.resolve("bin")).resolve("intact");
    Files.copy(ROOT.resolve("packaging/intact.sh"), installed);
    Path java = Files.createDirectories(root.resolve("runtime/bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    assertThat(installed.toFile().setExecutable(true) && java.toFile().setExecutable(true))
        .isTrue();
    List<String> args =
        run(Map.of(), List.of(installed.toString(), "sum", "-a", "blake3", "f"))
            .out()
            .lines()
            .toList();
    assertThat(args)
        .contains(
            "jdk.incubator.vector",
            "-XX:CompileCommand=CompileThresholdScaling," + kernel + "::*,0.01",
            "-XX:CompileCommand=BackgroundCompilation," + kernel + "::*,false",
            "-XX:-UseOnStackReplacement");
  }

  /** The JVM's final flag values (name to value) when bin/intact runs {@code args}. */
  private Map<String, String> flags(String... args) {
    Map<String, String> flags = new java.util.HashMap<>();
    for (String line :
        intact(Map.of("INTACT_JAVA_OPTS", "-XX:+PrintFlagsFinal"), args).out().lines().toList()) {
      String[] f = line.trim().split("\\s+", -1);
      if (f.length >= 4 && f[2].equals("=")) {
        flags.put(f[1], f[3]);
      }
    }
    return flags;
  }

  /** A JVM size option's value ("128m") in bytes. */
  private static long bytes(String size) {
    long unit =
        switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          default -> 1;
        };
    String digits = unit == 1 ? size : size.substring(0, size.length() - 1);
    return Long.parseLong(digits) * unit;
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
    byte[] saved = Files.readAllBytes(SHORT_AOT);
    FileTime time = Files.getLastModifiedTime(SHORT_AOT);
    try {
      Files.write(SHORT_AOT, "not a cache".getBytes(StandardCharsets.US_ASCII));
      Files.setLastModifiedTime(SHORT_AOT, FileTime.from(Instant.now()));
      Tools.Result r = intact(Map.of(), "sum", "-a", "crc32c", "/etc/hostname");
      assertThat(r.err()).isEmpty();
      assertThat(r.exit()).isZero();
      assertThat(r.out()).endsWith("  /etc/hostname\n");
    } finally {
      Files.write(SHORT_AOT, saved);
      Files.setLastModifiedTime(SHORT_AOT, time);
    }
  }

  @Test
  void progressBarOnATerminalOnly() throws IOException {
    Path img = dir.resolve("img");
    try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
      f.setLength(64L << 20);
      f.write("data".getBytes(StandardCharsets.US_ASCII));
    }
    // Spies named like the commands terminal libraries run (JLine: stty, test -t): the bar must
    // start no process at all (a 6 s sum once started ~36 stty).
    Path spies = Files.createDirectories(dir.resolve("spies"));
    for (String command : List.of("stty", "test", "tput", "infocmp")) {
      Path spy = spies.resolve(command);
      Files.writeString(spy, "#!/bin/sh\necho \"$0 $*\" >> " + dir.resolve("spawned") + "\n");
      spy.toFile().setExecutable(true);
    }
    Map<String, String> noDelay =
        Map.of(
            "INTACT_JAVA_OPTS",
            "-Dintact.progress.delay=0",
            "PATH",
            spies + ":" + System.getenv("PATH"));
    Tools.Result piped = intact(noDelay, "sum", "-a", "sha256", img.toString());
    assertThat(piped.err()).as("no bar on a pipe").isEmpty();

    String command = LAUNCHER + " sum -a sha256 " + img + " >" + dir.resolve("tty.out");
    Tools.Result tty =
        run(noDelay, List.of(SCRIPT.require().toString(), "-qec", command, "/dev/null"));
    assertThat(tty.exit()).isZero();
    assertThat(tty.out()).as("the terminal").contains("64/64 MiB").contains("100%");
    assertThat(tty.out().toLowerCase(java.util.Locale.ROOT)).doesNotContain("warning");
    assertThat(Files.readString(dir.resolve("tty.out"))).isEqualTo(piped.out());
    assertThat(dir.resolve("spawned")).as("processes the progress bar started").doesNotExist();
  }

  @Test
  void flashDrawsItsPhasesByHandAndStartsNoProcess() throws IOException {
    Path img = dir.resolve("os.img");
    try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
      f.setLength(8L << 20);
      f.write("data".getBytes(StandardCharsets.US_ASCII));
    }
    Path spies = Files.createDirectories(dir.resolve("spies"));
    for (String command : List.of("stty", "test", "tput", "infocmp")) {
      Path spy = spies.resolve(command);
      Files.writeString(spy, "#!/bin/sh\necho \"$0 $*\" >> " + dir.resolve("spawned") + "\n");
      spy.toFile().setExecutable(true);
    }
    Map<String, String> noDelay =
        Map.of(
            "INTACT_JAVA_OPTS",
            "-Dintact.progress.delay=0",
            "PATH",
            spies + ":" + System.getenv("PATH"));
    String command =
        LAUNCHER + " flash --nobmap --verify-readback " + img + " " + dir.resolve("copy.img");
    Tools.Result tty =
        run(noDelay, List.of(SCRIPT.require().toString(), "-qec", command, "/dev/null"));
    assertThat(tty.exit()).as(tty.out()).isZero();
    assertThat(tty.out())
        .as("the terminal")
        .contains("flash: write+verify", "16/16 MiB", "100%", "flashed ")
        .doesNotContain("0/0", " ? ", "MB/s");
    assertThat(dir.resolve("spawned")).as("processes the progress line started").doesNotExist();
  }

  /** Runs a bash script (with the launcher as $INTACT) and returns its stdout as bytes. */
  private byte[] bash(Map<String, String> env, String script) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(BASH.require().toString(), "-c", script).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.environment().put("INTACT", LAUNCHER.toString());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path err = dir.resolve("bash.err");
    pb.redirectError(err.toFile());
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor()).as(Files.readString(err)).isZero();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pipesStdinAndProcessSubstitutionAreReadAsStreams() throws IOException {
    String script =
        """
        printf hello | "$INTACT" sum -a sha256 /dev/stdin
        "$INTACT" sum -a md5 <(printf hello) | sed 's#/dev/fd/[0-9]*#FD#'
        printf hello | "$INTACT" sum -a blake2b-512 -
        """;
    String expected =
        """
        printf hello | sha256sum | sed 's#-$#/dev/stdin#'
        md5sum <(printf hello) | sed 's#/dev/fd/[0-9]*#FD#'
        printf hello | b2sum
        """;
    assertThat(new String(bash(Map.of(), script), StandardCharsets.UTF_8))
        .isEqualTo(new String(bash(Map.of(), expected), StandardCharsets.UTF_8))
        .contains("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  /dev/stdin");
  }

  @Test
  void namesAreBytesWhateverTheLocale() throws IOException {
    // The JVM decodes arguments with the locale's charset: under LC_ALL=C, ASCII; neither C nor
    // C.UTF-8 can spell \xff. The sums must still name and read the very files.
    String files = "printf 1 > $'\\xff\\xfe'; printf 22 > $'caf\\xc3\\xa9'; ";
    for (String locale : List.of("C", "C.UTF-8")) {
      Map<String, String> env = Map.of("LC_ALL", locale);
      byte[] ours = bash(env, files + "\"$INTACT\" sum -a sha256 $'\\xff\\xfe' $'caf\\xc3\\xa9'");
      byte[] theirs = bash(env, files + "sha256sum $'\\xff\\xfe' $'caf\\xc3\\xa9'");
      assertThat(ours).as(locale).isEqualTo(theirs);
      byte[] check =
          bash(env, files + "sha256sum $'\\xff\\xfe' > SHA256SUMS; \"$INTACT\" sum -c SHA256SUMS");
      assertThat(check)
          .as(locale)
          .isEqualTo(new byte[] {(byte) 0xff, (byte) 0xfe, ':', ' ', 'O', 'K', '\n'});
    }
  }

  @Test
  void devZeroRunsUntilInterruptedAndNeverPrintsAValue() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(LAUNCHER.toString(), "sum", "-a", "crc32", "/dev/zero")
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("zero.out").toFile())
            .redirectError(dir.resolve("zero.err").toFile());
    Process p = pb.start();
    try {
      Path io = Path.of("/proc/" + p.pid() + "/io");
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
      long read = 0;
      while (p.isAlive() && read < (1L << 30) && System.nanoTime() < deadline) {
        read = readBytes(io);
        p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS); // returns at once if it ends
      }
      assertThat(read)
          .as("bytes read from /dev/zero while running")
          .isGreaterThanOrEqualTo(1L << 30);
      assertThat(p.isAlive()).as("still reading").isTrue();
    } finally {
      p.destroy();
    }
    assertThat(Files.readString(dir.resolve("zero.out"))).as("no value printed").isEmpty();
  }

  /** rchar of a /proc/PID/io file: bytes the process has read. */
  private static long readBytes(Path io) {
    try {
      for (String line : Files.readAllLines(io)) {
        if (line.startsWith("rchar: ")) {
          return Long.parseLong(line.substring("rchar: ".length()));
        }
      }
      return 0;
    } catch (IOException e) {
      return 0; // the process is gone, or not started yet
    }
  }
}
