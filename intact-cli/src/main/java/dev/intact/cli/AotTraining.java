package dev.intact.cli;

import dev.intact.core.nbd.client.NbdClient;
import dev.intact.core.nbd.server.NbdExport;
import dev.intact.core.nbd.server.NbdServer;
import dev.intact.core.nbd.server.ServerLimits;
import dev.intact.core.volume.Volume;
import dev.intact.server.IntactServer;
import dev.intact.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/intact}'s AOT cache (JEP 483/514): runs the common commands
 * once in one JVM, output discarded, so the cache holds the classes and profiles they use. The sum
 * commands take the sample image to read as their last argument. Transfers to an in-process daemon
 * over loopback TLS are trained too: a short upload spends most of its CPU warming up TLS, Jetty's
 * client and the hashing (measured: a cache trained on a transfer cut a cold 1 GiB upload's CPU by
 * 10-20 %). With {@code --quick}, only the sums, help and {@code --version}: the cache for short
 * commands, whose every class is loaded (AOT-linked) at start-up.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) {
    boolean quick = args.length == 2 && args[0].equals("--quick");
    if (args.length != 1 && !quick) {
      System.err.println("usage: AotTraining [--quick] SAMPLE_IMAGE");
      System.exit(2);
    }
    String sample = args[args.length - 1];
    List<List<String>> runs =
        List.of(
            List.of("sum", sample),
            List.of("sum", "-a", "imageio", sample),
            List.of("sum", "-a", "sha256", sample),
            List.of("sum", "-a", "crc32c", "--tag", sample),
            List.of("sum", "-a", "xxh3", sample),
            List.of("sum", "-a", "sha256", "--json", sample),
            List.of("sum", "-a", "sha256", "-"),
            List.of("sum", "--list"),
            List.of("sum", "--help"),
            List.of("sum", "-a", "unknown", sample));
    PrintWriter discard =
        new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    String small = smallFile();
    // The process's own path first (argument recovery, byte-exact writers): `intact --version`
    // and short sums then load nothing from the jars. A small file is read without FFM
    // (SmallFileImage), the sample image with it.
    for (String[] words :
        new String[][] {
          {"--version"}, {"sum", "-a", "sha256", small}, {"sum", "-a", "sha256", sample}
        }) {
      Main.run(
          RawArguments.recover(words),
          new PrintWriter(new NameBytesWriter(OutputStream.nullOutputStream()), false),
          new PrintWriter(new NameBytesWriter(OutputStream.nullOutputStream()), false));
    }
    for (List<String> run : runs) {
      run(run, discard);
    }
    run(List.of("sum", "-a", "crc32c", small), discard);
    run(List.of("sum", "-a", "xxh3", small), discard);
    // The cache of the commands that name blake3 (made with the Vector API's module): both of its
    // kernels, the loops (the small file, first) and the vectors (the sample image: a mapped
    // window).
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      run(List.of("sum", "-a", "blake3", small), discard);
      run(List.of("sum", "-a", "blake3", sample), discard);
    }
    deleteQuietly(Path.of(small));
    if (quick) {
      return; // the cache for short commands: nothing of the transfers is loaded at its start
    }
    try {
      transfers(Path.of(sample), discard);
    } catch (Exception e) {
      // A cache without the transfer profiles is still a cache: say why and go on.
      System.err.println("AotTraining: transfers not trained: " + e);
    }
    try {
      volumeWrites(discard);
    } catch (Exception e) {
      System.err.println("AotTraining: volume writes not trained: " + e);
    }
  }

  /**
   * Fills, overwrites (whole chunks moved to spare ones), rewrites in 4 KiB pieces and reads back a
   * small volume through the NBD server, as {@code intact volume serve} does for a client: with the
   * profiles replayed, a server compiles its write path at start-up instead of during the client's
   * first gigabytes.
   */
  private static void volumeWrites(PrintWriter discard) throws Exception {
    Path dir = Files.createTempDirectory("intact-aot-volume");
    try {
      Path path = dir.resolve("train.vol");
      int size = 32 << 20;
      run(List.of("volume", "create", path.toString(), "--size", "32M", "--spare", "8M"), discard);
      byte[] data = new byte[1 << 20];
      new Random(12).nextBytes(data);
      try (Volume volume = Volume.open(path, true, null);
          NbdServer server =
              NbdServer.onUnixSocket(
                  dir.resolve("train.sock"),
                  List.of(NbdExport.readWrite("", volume)),
                  ServerLimits.defaults());
          NbdClient client = NbdClient.connect(server.uri(""))) {
        for (int pass = 0; pass < 12; pass++) {
          for (int at = 0; at < size; at += data.length) {
            client.write(at, data, 0, data.length, false);
          }
          client.flush();
        }
        for (int at = 0; at < size; at += 256 << 10) {
          client.write(at, data, 0, 4096, false);
        }
        client.flush();
        for (int at = 0; at < size; at += data.length) {
          client.read(at, data, 0, data.length);
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("AotTraining: cannot remove " + dir + ": " + e);
    }
  }

  /** A 1 MiB file of varied bytes in the temporary directory: what most short sums read. */
  private static String smallFile() {
    try {
      Path f = Files.createTempFile("intact-aot-small", ".bin");
      byte[] bytes = new byte[1 << 20];
      new java.util.Random(16).nextBytes(bytes);
      Files.write(f, bytes);
      return f.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("AotTraining: cannot write a small sample", e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      System.err.println("AotTraining: cannot remove " + p + ": " + e);
    }
  }

  private static int run(List<String> run, PrintWriter out) {
    String[] words = run.toArray(String[]::new);
    PrintWriter discard =
        new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    return Cli.create(
            EngineSources::new, new ByteArrayInputStream(new byte[4096]), out, discard, words)
        .execute(words);
  }

  /** Uploads the sample (block-hash and sha256 verified) to a loopback daemon and downloads it. */
  @SuppressWarnings("try") // IntactServer.close() may be interrupted: the training just ends
  private static void transfers(Path sample, PrintWriter discard) throws Exception {
    Path dir = Files.createTempDirectory("intact-aot-transfer");
    try {
      Path root = Files.createDirectories(dir.resolve("root"));
      ServerConfig config =
          ServerConfig.defaults()
              .withDataHost("127.0.0.1")
              .withDataPort(0)
              .withControlPort(0)
              .withRoots(List.of(root))
              .withStateDir(dir.resolve("state"));
      try (IntactServer server = IntactServer.start(config)) {
        String control = String.valueOf(server.controlUri().orElseThrow().getPort());
        String cafile = server.certificate().toString();
        Path dst = root.resolve("dst.raw");
        try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "rw")) {
          f.setLength(Files.size(sample));
        }
        StringWriter url = new StringWriter();
        run(
            List.of(
                "ticket",
                "add",
                "--control-port",
                control,
                "--control-token-file",
                server.controlTokenFile().orElseThrow().toString(),
                "--write",
                "--data-url",
                server.dataUri().toString(),
                dst.toString()),
            new PrintWriter(url, true));
        String image = url.toString().strip();
        for (String checksum : List.of("blkhash", "sha256")) {
          run(
              List.of(
                  "upload",
                  "--no-progress",
                  "--cafile",
                  cafile,
                  "--checksum",
                  checksum,
                  sample.toString(),
                  image),
              discard);
        }
        run(
            List.of(
                "download",
                "--no-progress",
                "--cafile",
                cafile,
                image,
                dir.resolve("down.raw").toString()),
            discard);
      }
    } finally {
      deleteTree(dir);
    }
  }
}
