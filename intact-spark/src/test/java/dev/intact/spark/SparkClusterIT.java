package dev.intact.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.cli.InProcessIntact;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on loopback, started from the build's own Spark jars: a master, two
 * workers (each launching its executor JVM), and {@code spark-submit} of target/intact-spark.jar.
 * Its output equals {@code intact sum}'s, its records verify with {@code intact verify}; every
 * process is stopped afterwards.
 */
class SparkClusterIT {
  private static final Duration START = Duration.ofMinutes(2);
  private static final Duration JOB = Duration.ofMinutes(4);

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    for (Process p : started.reversed()) {
      List<ProcessHandle> children = p.descendants().toList();
      p.destroy();
      children.forEach(ProcessHandle::destroy);
    }
    for (Process p : started) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertThat(started).allMatch(p -> !p.isAlive());
  }

  @Test
  void aStandaloneClusterGivesTheCliValuesAndRecords() throws Exception {
    Path jobJar = Path.of(System.getProperty("intact.spark.jar"));
    assertThat(jobJar).as("the job jar (mvn package)").exists();
    String classpath =
        Files.readString(Path.of(System.getProperty("intact.spark.classpath"))).strip();
    Path sparkHome = sparkHome(classpath);
    int masterPort = freePort();
    String master = "spark://127.0.0.1:" + masterPort;
    Path masterLog = dir.resolve("master.log");

    Process masterProcess =
        start(
            masterLog,
            classpath,
            sparkHome,
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(masterPort),
            "--webui-port",
            String.valueOf(freePort()));
    await("the master to listen", () -> listening(masterPort), masterProcess, masterLog);
    for (int i = 0; i < 2; i++) {
      Path work = Files.createDirectories(dir.resolve("work" + i));
      start(
          dir.resolve("worker" + i + ".log"),
          classpath,
          sparkHome,
          "org.apache.spark.deploy.worker.Worker",
          "--host",
          "127.0.0.1",
          "--cores",
          "1",
          "--memory",
          "1g",
          "--webui-port",
          String.valueOf(freePort()),
          "--work-dir",
          work.toString(),
          master);
    }
    await(
        "two workers to register",
        () -> count(masterLog, "Registering worker") == 2,
        masterProcess,
        masterLog);

    Path tree = dir.resolve("data");
    List<String> files = Layouts.create(tree, 99, 5).stream().map(Path::toString).toList();
    List<String> sum = new ArrayList<>(List.of("sum", "-a", "blkhash", "--split-size", "256K"));
    sum.addAll(files);
    String expected =
        InProcessIntact.run(
                sum.stream()
                    .filter(a -> !a.startsWith("--split") && !a.equals("256K"))
                    .toArray(String[]::new))
            .out();

    Submitted summed = submit(classpath, master, jobJar, sum);
    assertThat(summed.exit()).as(summed.log()).isZero();
    assertThat(summed.out()).isEqualTo(expected);

    Submitted recorded = submit(classpath, master, jobJar, List.of("record", tree.toString()));
    assertThat(recorded.exit()).as(recorded.log()).isZero();
    assertThat(recorded.out().lines()).hasSize(5).allMatch(l -> l.contains(": RECORDED "));
    InProcessIntact.Result verified = InProcessIntact.run("verify", tree.toString());
    assertThat(verified.exit()).as(verified.out()).isZero();
  }

  private record Submitted(int exit, String out, String log) {}

  private Submitted submit(String classpath, String master, Path jar, List<String> args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "submit", ".out");
    Path err = Files.createTempFile(dir, "submit", ".err");
    List<String> command = java(classpath);
    command.addAll(
        List.of(
            "-Xmx512m",
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            master,
            "--deploy-mode",
            "client",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.executor.memory=512m",
            "--conf",
            "spark.task.maxFailures=2",
            "--class",
            IntactSpark.class.getName(),
            jar.toString()));
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    started.add(p);
    if (!p.waitFor(JOB.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError(
          "spark-submit did not finish in " + JOB + ":\n" + Files.readString(err));
    }
    return new Submitted(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Process start(Path log, String classpath, Path sparkHome, String main, String... args)
      throws IOException {
    List<String> command = java(classpath);
    command.add("-Xmx256m");
    command.add(main);
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    // A release's launcher reads the Scala version from its build directories; say it instead.
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_EXECUTOR_OPTS", System.getProperty("intact.spark.javaOptions"));
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private static List<String> java(String classpath) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        Arrays.asList(System.getProperty("intact.spark.javaOptions").strip().split("\\s+")));
    command.add("-cp");
    command.add(classpath);
    return command;
  }

  /**
   * A SPARK_HOME whose jars/ links to the build's Spark jars: what a worker launches executors
   * from.
   */
  private Path sparkHome(String classpath) throws IOException {
    Path home = dir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : classpath.split(java.io.File.pathSeparator, -1)) {
      Path target = Path.of(jar);
      Files.createSymbolicLink(jars.resolve(target.getFileName()), target);
    }
    return home;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long count(Path log, String text) {
    try {
      return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Polls {@code condition} until it holds, failing with the log after the start deadline. */
  private static void await(String what, BooleanSupplier condition, Process process, Path log)
      throws IOException {
    long deadline = System.nanoTime() + START.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError(
            "waited " + START + " for " + what + ":\n" + Files.readString(log));
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }
}
