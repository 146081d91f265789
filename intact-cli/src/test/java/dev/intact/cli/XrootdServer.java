package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real XRootD server (Debian's xrootd-server) for a test: exports a fresh directory on 127.0.0.1
 * at a free port, with the checksums adler32, crc32, crc32c, md5 and zcrc32 (the zlib plug-in). It
 * refuses to run as root, so it runs as {@code nobody}, which owns the export. {@link #close} stops
 * it and removes the directory.
 */
final class XrootdServer implements AutoCloseable {
  static final ExternalTool XROOTD = ExternalTool.of("xrootd", "xrootd-server");
  static final ExternalTool XRDFS = ExternalTool.of("xrdfs", "xrootd-client");
  static final ExternalTool XRDCP = ExternalTool.of("xrdcp", "xrootd-client");
  static final ExternalTool XRDADLER32 = ExternalTool.of("xrdadler32", "xrootd-client");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path base;
  private final Path export;
  private final int port;
  private final Process process;

  private XrootdServer(Path base, Path export, int port, Process process) {
    this.base = base;
    this.export = export;
    this.port = port;
    this.process = process;
  }

  static XrootdServer start() throws IOException {
    Path base =
        Files.createTempDirectory(
            "intact-xrootd-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path export = Files.createDirectory(base.resolve("export"));
    Path admin = Files.createDirectory(base.resolve("admin"));
    UserPrincipal nobody =
        base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(export, nobody);
    Files.setOwner(admin, nobody);
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path config = base.resolve("xrootd.cfg");
    Files.writeString(
        config,
        String.join(
            "\n",
            "all.export " + export,
            "xrd.port " + port,
            "all.adminpath " + admin,
            "all.pidpath " + admin,
            "xrootd.chksum max 8 adler32 crc32 crc32c md5 zcrc32",
            "ofs.ckslib zcrc32 libXrdCksCalczcrc32.so",
            ""));
    Path log = admin.resolve("xrootd.log"); // written as nobody
    Process p =
        new ProcessBuilder(
                XROOTD.require().toString(),
                "-R",
                "nobody",
                "-c",
                config.toString(),
                "-l",
                log.toString())
            .redirectErrorStream(true)
            .redirectOutput(base.resolve("xrootd.out").toFile())
            .start();
    XrootdServer server = new XrootdServer(base, export, port, p);
    server.awaitListening(log);
    return server;
  }

  private void awaitListening(Path log) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        Path out = base.resolve("xrootd.out");
        String why =
            (Files.exists(log) ? Files.readString(log) : "")
                + (Files.exists(out) ? Files.readString(out) : "");
        close();
        fail("xrootd exited at start-up (status " + process.exitValue() + "):\n" + why);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
    close();
    fail("xrootd did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT);
  }

  /** The exported directory (owned by nobody). */
  Path export() {
    return export;
  }

  /** {@code root://127.0.0.1:PORT}. */
  String url() {
    return "root://127.0.0.1:" + port;
  }

  /** What the server answers for {@code xrdfs query checksum PATH?cks.type=NAME}: the hex value. */
  String queryChecksum(Path file, String name) {
    String answer = XRDFS.run(url(), "query", "checksum", file + "?cks.type=" + name).strip();
    assertThat(answer).startsWith(name + " ");
    return answer.substring(name.length() + 1);
  }

  /** Makes a file the server (running as nobody) may read and update. */
  void handOver(Path file) throws IOException {
    Files.setOwner(
        file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> walk = Files.walk(base)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
