package dev.intact.core.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Waits for a server process to listen on a unix socket. */
public final class SocketReady {
  private SocketReady() {}

  /**
   * Returns once {@code socket} accepts a connection; fails if {@code process} exits first or the
   * timeout passes. Servers announce readiness in no portable way, so this probes.
   */
  public static void await(Path socket, Process process, String what, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = TimeUnit.MILLISECONDS.toNanos(2);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            what + " exited with status " + process.exitValue() + " before listening on " + socket);
      }
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              what + " did not listen on " + socket + " within " + timeout.toMillis() + " ms",
              notYet);
        }
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
