package dev.intact.cli.nbd;

import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.nbd.server.NbdExport;
import dev.intact.core.nbd.server.NbdServer;
import dev.intact.core.nbd.server.ServerLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact serve-nbd}: export a file or block device over NBD until interrupted. */
@Command(
    name = "serve-nbd",
    header = "Export a file or block device over NBD until interrupted.",
    mixinStandardHelpOptions = true,
    description = {
      "Export a file or block device over NBD (any number of clients, block status from the",
      "file's holes) until interrupted. Prints the export's URI once it listens.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact serve-nbd --read-only --socket /tmp/disk.sock disk.raw",
      "  nbdcopy 'nbd+unix:///?socket=/tmp/disk.sock' copy.raw",
      "  intact serve-nbd --port 10809 /dev/sdb       then qemu-img info nbd://localhost"
    })
public final class ServeNbdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE|DEVICE", description = "What to export.")
  Path file;

  @Option(
      names = {"-r", "--read-only"},
      description = "Refuse writes, trims and zeroing.")
  boolean readOnly;

  @ArgGroup(exclusive = true)
  Listen listen = new Listen();

  static final class Listen {
    @Option(names = "--socket", paramLabel = "PATH", description = "Listen on this unix socket.")
    Path socket;

    @Option(
        names = "--port",
        paramLabel = "N",
        description = "Listen on TCP port N (default 10809).")
    Integer port;
  }

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description =
          "TCP address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String bind = "127.0.0.1";

  @Option(
      names = "--export-name",
      paramLabel = "NAME",
      description = "Export name (default: empty).")
  String exportName = "";

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "Serve at most N clients at once; more are closed before the greeting (default: "
              + ServerLimits.DEFAULT_MAX_CONNECTIONS
              + ").")
  int maxConnections = ServerLimits.DEFAULT_MAX_CONNECTIONS;

  @Override
  public Integer call() throws Exception {
    if (maxConnections < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--max-connections must be at least 1, not " + maxConnections);
    }
    PrintWriter out = spec.commandLine().getOut();
    LocalImage image = readOnly ? LocalImage.openRead(file) : LocalImage.openWrite(file);
    NbdExport export =
        readOnly ? NbdExport.readOnly(exportName, image) : NbdExport.readWrite(exportName, image);
    SocketAddress address =
        listen.socket != null
            ? UnixDomainSocketAddress.of(listen.socket)
            : new InetSocketAddress(
                InetAddress.getByName(bind), listen.port == null ? 10809 : listen.port);
    NbdServer server;
    try {
      server =
          NbdServer.start(
              address, List.of(export), ServerLimits.defaults().withMaxConnections(maxConnections));
    } catch (IOException e) {
      image.close();
      throw e;
    }
    // Ctrl-C and SIGTERM end the process: close the listener (removing a unix socket) on the way.
    Thread stop = new Thread(() -> stop(server, image), "intact-stop-nbd-server");
    Runtime.getRuntime().addShutdownHook(stop);
    out.println(server.uri(exportName) + (readOnly ? " (read-only)" : ""));
    out.flush();
    server.awaitClosed();
    return 0;
  }

  private static void stop(NbdServer server, Image image) {
    try {
      server.close();
      image.close();
    } catch (IOException e) {
      // exiting anyway; the socket file is all that could be left, and close() removes it first
    }
  }
}
