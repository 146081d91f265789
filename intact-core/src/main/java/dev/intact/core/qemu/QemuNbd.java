package dev.intact.core.qemu;

import dev.intact.core.nbd.client.NbdClient;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import dev.intact.core.nbd.wire.ExportInfo;
import dev.intact.core.nbd.wire.Nbd;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code qemu-nbd --read-only --persistent} serving one image on a private unix socket (in a
 * fresh 0700 directory), so Intact reads qcow2, vmdk, backing chains and OVA members through its
 * NBD client; or, by {@link #serveWritable}, the same without {@code --read-only}, so Intact writes
 * a qcow2 destination through it. It is stopped, and its socket removed, by {@link #close()} — and
 * by a shutdown hook if the JVM exits first (Ctrl-C), so no qemu-nbd outlives Intact.
 */
public final class QemuNbd implements Closeable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** Connections qemu-nbd accepts at once: {@link #openImage(int)}'s, and other clients'. */
  private static final int SHARED = 16;

  private final Process process;
  private final Path dir;
  private final Path socket;
  private final String description;
  private final Thread hook;
  private boolean closed;

  private QemuNbd(Process process, Path dir, Path socket, String description) {
    this.process = process;
    this.dir = dir;
    this.socket = socket;
    this.description = description;
    this.hook = new Thread(this::stop, "intact-stop-qemu-nbd");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Serves {@code image} in {@code format} ({@code qcow2}, {@code vmdk}, {@code raw}...). */
  public static QemuNbd serve(Path image, String format) throws IOException {
    return start(false, List.of("--format=" + format, image.toString()), image.toString());
  }

  /**
   * Serves {@code image} in {@code format} read-write. Zero requests may unmap ({@code
   * --discard=unmap}), so zero runs written as NBD_CMD_WRITE_ZEROES leave the image's clusters
   * unallocated rather than filled with zeros.
   */
  public static QemuNbd serveWritable(Path image, String format) throws IOException {
    return start(true, List.of("--format=" + format, image.toString()), image.toString());
  }

  /**
   * Serves the {@code size} bytes at {@code offset} of {@code container} (a member of a tar/OVA) as
   * an image in {@code format}.
   */
  public static QemuNbd serveSlice(
      Path container, long offset, long size, String format, String name) throws IOException {
    String path = escape(container.toAbsolutePath().toString());
    String opts =
        format.equals("raw")
            ? "driver=raw,offset="
                + offset
                + ",size="
                + size
                + ",file.driver=file,file.filename="
                + path
            : "driver="
                + format
                + ",file.driver=raw,file.offset="
                + offset
                + ",file.size="
                + size
                + ",file.file.driver=file,file.file.filename="
                + path;
    return start(false, List.of("--image-opts", opts), name);
  }

  /** qemu's option syntax doubles commas inside values. */
  private static String escape(String value) {
    return value.replace(",", ",,");
  }

  private static QemuNbd start(boolean writable, List<String> imageArgs, String description)
      throws IOException {
    Path dir = privateDirectory();
    Path socket = dir.resolve("nbd.sock");
    Path log = dir.resolve("qemu-nbd.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "qemu-nbd",
                writable ? "--discard=unmap" : "--read-only",
                "--persistent",
                "--shared=" + SHARED,
                "--allocation-depth",
                "--cache=writeback",
                "--socket=" + socket));
    cmd.addAll(imageArgs);
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(log.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new IOException(
          "cannot run qemu-nbd (install the Debian package qemu-utils) to read "
              + description
              + ": "
              + e.getMessage(),
          e);
    }
    QemuNbd q = new QemuNbd(p, dir, socket, description);
    try {
      SocketReady.await(socket, p, "qemu-nbd", START_TIMEOUT);
      return q;
    } catch (IOException e) {
      String output = q.output();
      q.close();
      throw new IOException(
          "qemu-nbd could not serve "
              + description
              + (output.isEmpty() ? ": " + e.getMessage() : ": " + output),
          e);
    }
  }

  private static Path privateDirectory() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    // A unix socket path must fit in 108 bytes.
    if (tmp.toString().length() > 60) {
      tmp = Path.of("/tmp");
    }
    return Files.createTempDirectory(
        tmp,
        "intact-qemu-nbd-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  public Path socket() {
    return socket;
  }

  public NbdUri uri() {
    return NbdUri.unix(socket, "");
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Connects an {@link NbdImage} that stops this qemu-nbd when it is closed, with one connection
   * per four CPUs. Each connection adds a reply reader thread and costs CPU on both sides (on 2
   * CPUs more connections cost more in all, BENCHMARKS.md "second session"), which pays only where
   * idle cores take the extra readers.
   */
  public NbdImage openImage() throws IOException {
    return openImage(Math.max(1, Runtime.getRuntime().availableProcessors() / 4));
  }

  /**
   * Connects an {@link NbdImage} that stops this qemu-nbd when closed, over {@code connections}
   * connections if the export is read-only (reads spread over them), else over one.
   */
  public NbdImage openImage(int connections) throws IOException {
    if (connections < 1 || connections > SHARED) {
      throw new IllegalArgumentException(
          "qemu-nbd serves 1 to " + SHARED + " connections, not " + connections);
    }
    List<NbdClient> open = new ArrayList<>();
    try {
      open.add(NbdClient.connect(uri()));
      // A writable export keeps one connection: NbdImage writes on its first one only.
      ExportInfo info = open.getFirst().info();
      if (info.readOnly() && info.has(Nbd.FLAG_CAN_MULTI_CONN)) {
        while (open.size() < connections) {
          open.add(NbdClient.connect(uri()));
        }
      }
      return NbdImage.of(open, description, this);
    } catch (IOException e) {
      for (NbdClient c : open) {
        closeQuietly(c);
      }
      // qemu-nbd listens before it opens the image: a bad image shows up as a refused connection
      // and an exited process, whose output says what was wrong.
      boolean exited = waitForExit(Duration.ofSeconds(5));
      String output = output();
      close();
      if (exited && !output.isEmpty()) {
        throw new IOException("qemu-nbd could not serve " + description + ": " + output, e);
      }
      throw new IOException(
          "cannot read " + description + " through qemu-nbd: " + e.getMessage(), e);
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** What qemu-nbd printed (its errors), trimmed. */
  String output() {
    try {
      return Files.readString(dir.resolve("qemu-nbd.log"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it does the same idempotent stop
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteQuietly(dir);
  }

  private static void closeQuietly(NbdClient c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // the connection to a qemu-nbd being stopped has nothing more to say
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temp directory we could not remove is left for the system's tmp cleaner
    }
  }

  @Override
  public String toString() {
    return "qemu-nbd (pid " + process.pid() + ") serving " + description;
  }
}
