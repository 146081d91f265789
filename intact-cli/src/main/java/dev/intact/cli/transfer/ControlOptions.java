package dev.intact.cli.transfer;

import dev.intact.client.ControlClient;
import dev.intact.server.IntactServer;
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

  @Option(
      names = "--control-token-file",
      paramLabel = "FILE",
      description =
          "The daemon's control token, sent with every request over loopback TCP"
              + " (default: control.token in the daemon's default state directory).")
  Path tokenFile;

  ControlClient connect() throws IOException {
    if (socket != null) {
      return ControlClient.unixSocket(socket);
    }
    Path token =
        tokenFile != null ? tokenFile : IntactServer.controlTokenFile(ServerConfig.defaults());
    return ControlClient.loopback(port != null ? port : ServerConfig.DEFAULT_CONTROL_PORT, token);
  }
}
