package dev.intact.server;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real NBD server (qemu-nbd or nbdkit) on a unix socket for tickets to name, stopped on close.
 * Shared with the CLI's tests (test-jar).
 */
@SuppressWarnings("try") // close() waits for the child process, so may be interrupted
public final class NbdPeer implements AutoCloseable {
  public static final ExternalTool QEMU_NBD = ExternalTool.of("qemu-nbd", "qemu-utils");
  public static final ExternalTool QEMU_IMG = ExternalTool.of("qemu-img", "qemu-utils");
  public static final ExternalTool NBDKIT = ExternalTool.of("nbdkit", "nbdkit");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path socket;

  private NbdPeer(Process process, Path socket) {
    this.process = process;
    this.socket = socket;
  }

  /** {@code qemu-nbd --persistent} serving {@code image} read-write, as a host agent would. */
  public static NbdPeer qemuNbd(Path socket, String format, Path image) throws IOException {
    return start(
        List.of(
            QEMU_NBD.require().toString(),
            "--persistent",
            "--shared=8",
            "--discard=unmap",
            "--format=" + format,
            "--socket=" + socket,
            image.toString()),
        socket);
  }

  /** {@code qemu-nbd --persistent --socket=SOCKET ARGS...} (format, flags and image in args). */
  public static NbdPeer qemuNbdWith(Path socket, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(QEMU_NBD.require().toString(), "--persistent", "--socket=" + socket));
    cmd.addAll(List.of(args));
    return start(cmd, socket);
  }

  /** {@code nbdkit -U SOCKET ARGS...} (plugin and parameters in {@code args}). */
  public static NbdPeer nbdkit(Path socket, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                NBDKIT.require().toString(), "-f", "--exit-with-parent", "-U", socket.toString()));
    cmd.addAll(List.of(args));
    return start(cmd, socket);
  }

  /** {@code nbdkit -i 127.0.0.1 -p PORT ARGS...}: an NBD server over TCP on loopback. */
  public static NbdPeer nbdkitTcp(int port, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                NBDKIT.require().toString(),
                "-f",
                "--exit-with-parent",
                "-i",
                "127.0.0.1",
                "-p",
                String.valueOf(port)));
    cmd.addAll(List.of(args));
    return start(cmd, null, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  private static NbdPeer start(List<String> cmd, Path socket) throws IOException {
    return start(cmd, socket, UnixDomainSocketAddress.of(socket));
  }

  private static NbdPeer start(List<String> cmd, Path socket, SocketAddress listening)
      throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IOException(cmd.get(0) + " exited with status " + p.exitValue());
      }
      try (SocketChannel ch =
          listening instanceof UnixDomainSocketAddress
              ? SocketChannel.open(StandardProtocolFamily.UNIX)
              : SocketChannel.open()) {
        ch.connect(listening);
        return new NbdPeer(p, socket);
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IOException(cmd.get(0) + " did not listen on " + listening, notYet);
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  public Path socket() {
    return socket;
  }

  /** The ticket URL in qemu's syntax, as ovirt-imageio's engine writes it. */
  public String url() {
    return "nbd:unix:" + socket;
  }

  /** Kills the server at once, as a crash would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
