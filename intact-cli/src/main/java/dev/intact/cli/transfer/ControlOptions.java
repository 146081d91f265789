package dev.intact.cli.transfer;

import dev.intact.client.ControlClient;
import dev.intact.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the daemon's control service listens (a mixin of every {@code ticket} command). */
public final class ControlOptions {
  @Option(
      names = "--control-socket",
      paramLabel = "PATH",
      description = "The daemon's control unix socket.")
  Path socket;

  @Option(
      names = "--control-port",
      paramLabel = "N",
      description = "The daemon's control loopback port (default 54324).")
  Integer port;

  ControlClient connect() throws IOException {
    return socket != null
        ? ControlClient.unixSocket(socket)
        : ControlClient.loopback(port != null ? port : ServerConfig.DEFAULT_CONTROL_PORT);
  }
}
