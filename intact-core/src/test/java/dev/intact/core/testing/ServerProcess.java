package dev.intact.core.testing;

import dev.intact.core.nbd.client.NbdUri;
import dev.intact.core.qemu.SocketReady;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A peer NBD server (nbdkit, qemu-nbd) run by a test on a unix socket, stopped on close. */
@SuppressWarnings("try") // close() waits for the child process, so may be interrupted
public final class ServerProcess implements AutoCloseable {
  public final Process process;
  public final Path socket;

  private ServerProcess(Process process, Path socket) {
    this.process = process;
    this.socket = socket;
  }

  /** {@code nbdkit -f -U SOCKET ARGS...} (plugin, filters and parameters in {@code args}). */
  public static ServerProcess nbdkit(Path dir, String... args) throws IOException {
    Path socket = dir.resolve("nbdkit.sock");
    List<String> cmd =
        new ArrayList<>(
            List.of(Tools.nbdkit(), "-f", "--exit-with-parent", "-U", socket.toString()));
    cmd.addAll(List.of(args));
    return start(cmd, socket);
  }

  public static ServerProcess qemuNbd(Path dir, String... args) throws IOException {
    Path socket = dir.resolve("qemu-nbd.sock");
    List<String> cmd =
        new ArrayList<>(
            List.of(Tools.qemuNbd(), "--persistent", "--shared=8", "--socket=" + socket));
    cmd.addAll(List.of(args));
    return start(cmd, socket);
  }

  private static ServerProcess start(List<String> cmd, Path socket) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      SocketReady.await(socket, p, cmd.get(0), Duration.ofSeconds(20));
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    return new ServerProcess(p, socket);
  }

  public NbdUri uri() {
    return NbdUri.unix(socket, "");
  }

  public NbdUri uri(String export) {
    return NbdUri.unix(socket, export);
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
