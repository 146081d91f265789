package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.intact.core.record.Manifest;
import dev.intact.core.record.ScrubState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The record commands as real processes, disturbed in the middle: stopped by {@code kill -9}
 * (nothing of the process runs) or Ctrl-C (SIGINT: the shutdown hooks run, the JVM exits 130), or
 * with files swapped under a running scrub.
 */
class RecordSignalsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  private List<Path> tree(String name, int files, int size) throws IOException {
    List<Path> made = new ArrayList<>();
    Random random = new Random(files);
    for (int i = 0; i < files; i++) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Path p = dir.resolve(name).resolve(String.format("f%03d", i));
      Files.createDirectories(p.getParent());
      made.add(Files.write(p, data));
    }
    return made;
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    // env resets SIGINT to its default (it execs java: the pid stays): a test run started in the
    // background without job control hands its children SIGINT ignored, and the JVM then installs
    // no handler for it.
    command.addAll(List.of("env", "--default-signal=INT"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.intact.cli.Main");
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile())
        .start();
  }

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws IOException;
  }

  /** Waits, while the process runs, until {@code condition} holds; fails if it exits first. */
  private static void whileRunningAwait(Process p, Condition condition, String what)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.holds()) {
      if (!p.isAlive()) {
        fail("the process exited (" + p.exitValue() + ") before " + what);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        fail("no " + what + " within " + DEADLINE);
      }
      p.waitFor(1, TimeUnit.MILLISECONDS);
    }
  }

  private static int stop(Process p, String signal) throws IOException, InterruptedException {
    if (signal.equals("KILL")) {
      p.destroyForcibly();
    } else {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
    }
    if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the process did not stop after SIG" + signal);
    }
    return p.exitValue();
  }

  private static long wholeLines(Path f) throws IOException {
    if (!Files.exists(f)) {
      return 0;
    }
    return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8)
        .chars()
        .filter(c -> c == '\n')
        .count();
  }

  private static void corruptKeepingMtime(Path f) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(5);
      raf.write(raf.read() ^ 0xFF);
    }
    Files.setLastModifiedTime(f, mtime);
  }

  private static List<Path> journaled(Path journal, List<Path> files) throws IOException {
    try (ScrubState s = ScrubState.open(journal)) {
      return files.stream().filter(f -> s.statusOf(f) != null).toList();
    }
  }

  @Test
  void scrubKilledWithSigkillResumesAndDoesNotReadWhatItsJournalHolds() throws Exception {
    List<Path> files = tree("t", 16, 64 * 1024);
    assertThat(IntactRun.run("record", "-a", "adler32", dir.resolve("t").toString()).exit())
        .isZero();
    Path journal = dir.resolve("scrub.state");
    Process scrub =
        start(
            "scrub",
            "-j",
            "1",
            "--rate",
            "256K",
            "--state",
            journal.toString(),
            "" + dir.resolve("t"));
    whileRunningAwait(scrub, () -> wholeLines(journal) >= 2, "two files in the journal");

    assertThat(stop(scrub, "KILL")).isEqualTo(128 + 9);

    List<Path> done = journaled(journal, files);
    assertThat(done).hasSizeBetween(2, files.size() - 1);
    Path checkedBefore = done.getFirst();
    Path notYet = files.stream().filter(f -> !done.contains(f)).findFirst().orElseThrow();
    corruptKeepingMtime(checkedBefore); // skipped by the resumed run, so not seen
    corruptKeepingMtime(notYet); // read by the resumed run

    IntactRun.Result resumed =
        IntactRun.run("scrub", "--state", journal.toString(), dir.resolve("t").toString());

    assertThat(resumed.exit()).isEqualTo(1);
    assertThat(resumed.out())
        .contains(notYet + ": FAILED adler32 expected ")
        .doesNotContain(checkedBefore.toString());
    assertThat(resumed.err())
        .contains(
            "16 files: "
                + (files.size() - 1)
                + " OK, 1 FAILED ("
                + done.size()
                + " checked by the interrupted run)");
    assertThat(journal).doesNotExist();
  }

  @Test
  void scrubInterruptedWithCtrlCKeepsItsJournalSaysHowToResumeAndExits130() throws Exception {
    List<Path> files = tree("t", 16, 64 * 1024);
    assertThat(IntactRun.run("record", "-a", "adler32", dir.resolve("t").toString()).exit())
        .isZero();
    Path journal = dir.resolve("scrub.state");
    Process scrub =
        start(
            "scrub",
            "-j",
            "1",
            "--rate",
            "256K",
            "--state",
            journal.toString(),
            "" + dir.resolve("t"));
    whileRunningAwait(scrub, () -> wholeLines(journal) >= 1, "a file in the journal");

    assertThat(stop(scrub, "INT")).isEqualTo(128 + 2);

    List<Path> done = journaled(journal, files);
    assertThat(done).hasSizeBetween(1, files.size() - 1);
    assertThat(Files.readString(dir.resolve("err.txt")))
        .contains("intact: scrub interrupted: " + done.size() + " files done are in " + journal)
        .contains("run it again with --state " + journal + " to resume")
        .doesNotContain("Exception");
    IntactRun.Result resumed =
        IntactRun.run("scrub", "--state", journal.toString(), dir.resolve("t").toString());
    assertThat(resumed.exit()).isZero();
    assertThat(resumed.err())
        .contains("16 files: 16 OK (" + done.size() + " checked by the interrupted run)");
  }

  @Test
  void fileReplacedByALinkOrFifoDuringAScrubIsAOneLineErrorAndTheScrubGoesOn() throws Exception {
    List<Path> files = tree("t", 12, 64 * 1024);
    assertThat(IntactRun.run("record", "-a", "adler32", dir.resolve("t").toString()).exit())
        .isZero();
    Path journal = dir.resolve("scrub.state");
    Process scrub =
        start(
            "scrub",
            "-j",
            "1",
            "--rate",
            "128K",
            "--state",
            journal.toString(),
            dir.resolve("t").toString());
    whileRunningAwait(scrub, () -> wholeLines(journal) >= 1, "a file in the journal");
    Path link = files.get(10); // walked as regular files, replaced before the scrub reaches them
    Path fifo = files.get(11);
    Files.delete(link);
    Files.createSymbolicLink(link, files.getFirst());
    Files.delete(fifo);
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    assertThat(scrub.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(scrub.exitValue()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("out.txt")))
        .isEqualTo(link + ": ERROR\n" + fifo + ": ERROR\n");
    assertThat(Files.readString(dir.resolve("err.txt")))
        .contains("intact: " + link + ": is a symbolic link, not a regular file\n")
        .contains("intact: " + fifo + ": is a fifo, not a regular file\n")
        .contains("12 files: 10 OK, 2 ERROR")
        .doesNotContain("Exception");
  }

  @ParameterizedTest(name = "SIG{0}")
  @CsvSource({"KILL, 137", "INT, 130"})
  void recordIntoAManifestStoppedMidwayKeepsEveryFileItFinished(String signal, int exit)
      throws Exception {
    List<Path> files = tree("t", 200, 64 * 1024);
    Path manifest = dir.resolve("SUMS");
    Process record =
        start(
            "record",
            "-j",
            "1",
            "--quiet",
            "-a",
            "adler32,sha256,sha512,md5",
            "--manifest",
            manifest.toString(),
            dir.resolve("t").toString());
    whileRunningAwait(
        record,
        () -> Files.exists(manifest) && Files.readString(manifest).contains("#@ "),
        "a file in the manifest");

    assertThat(stop(record, signal)).isEqualTo(exit);

    List<Path> kept = Manifest.open(manifest).files();
    assertThat(kept).isNotEmpty().isSubsetOf(files);
    IntactRun.Result verify = IntactRun.run("verify", "--manifest", manifest.toString());
    assertThat(verify.exit()).isZero();
    assertThat(verify.out().lines().filter(l -> l.endsWith(": OK"))).hasSize(kept.size());
    IntactRun.Result again =
        IntactRun.run(
            "record",
            "--quiet",
            "-a",
            "adler32,sha256,sha512,md5",
            "--manifest",
            manifest.toString(),
            dir.resolve("t").toString());
    assertThat(again.exit()).isZero();
    assertThat(Files.readAllLines(manifest).stream().filter(l -> l.startsWith("#@ ")))
        .hasSize(files.size());
  }

  @Test
  void archiveInterruptedWithCtrlCLeavesNoPartialDestinationNorTemporaryFile() throws Exception {
    List<Path> sources = tree("src", 4, 32 << 20);
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Process copy = start("archive", "-j", "1", dir.resolve("src").toString(), archive.toString());
    Path into = archive.resolve("src");
    whileRunningAwait(
        copy,
        () -> {
          if (!Files.isDirectory(into)) {
            return false;
          }
          try (Stream<Path> s = Files.list(into)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".intact-tmp"));
          }
        },
        "a copy in progress");

    assertThat(stop(copy, "INT")).isEqualTo(130);

    List<Path> left;
    try (Stream<Path> s = Files.list(into)) {
      left = s.toList();
    }
    assertThat(left).hasSizeLessThan(sources.size());
    for (Path p : left) {
      assertThat(p.getFileName().toString()).doesNotStartWith(".").doesNotEndWith(".intact-tmp");
      assertThat(Files.mismatch(p, dir.resolve("src").resolve(p.getFileName()))).isEqualTo(-1);
    }
  }
}
