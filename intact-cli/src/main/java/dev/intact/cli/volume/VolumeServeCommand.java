package dev.intact.cli.volume;

import dev.intact.core.nbd.server.NbdExport;
import dev.intact.core.nbd.server.NbdServer;
import dev.intact.core.nbd.server.ServerLimits;
import dev.intact.core.volume.Volume;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact volume serve}: export a volume over NBD, every read verified. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Export a volume over NBD until SIGTERM/SIGINT. Every read is verified: a block whose tag",
      "fails answers that request with EIO (logged, counted). FLUSH and FUA make writes",
      "durable; on SIGTERM/SIGINT everything is made durable before exit. Prints the URI.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact volume serve disk.vol --socket /tmp/vol.sock",
      "  nbdcopy image.raw 'nbd+unix:///?socket=/tmp/vol.sock'"
    })
public final class VolumeServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The volume.")
  Path path;

  @Option(
      names = {"-r", "--read-only"},
      description = "Refuse writes, trims and zeroing.")
  boolean readOnly;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Listen listen = new Listen();

  static final class Listen {
    @Option(names = "--socket", paramLabel = "PATH", description = "Listen on this unix socket.")
    Path socket;

    @Option(names = "--port", paramLabel = "N", description = "Listen on TCP port N.")
    Integer port;
  }

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "TCP address to listen on (default: ${DEFAULT-VALUE}).")
  String bind = "127.0.0.1";

  @Option(names = "--export-name", paramLabel = "NAME", description = "Export name.")
  String exportName = "";

  @Mixin KeyFile key = new KeyFile();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Volume volume = Volume.open(path, !readOnly, key.read());
    NbdExport export =
        readOnly ? NbdExport.readOnly(exportName, volume) : NbdExport.readWrite(exportName, volume);
    SocketAddress address =
        listen.socket != null
            ? UnixDomainSocketAddress.of(listen.socket)
            : new InetSocketAddress(InetAddress.getByName(bind), listen.port);
    NbdServer server;
    try {
      server = NbdServer.start(address, List.of(export), ServerLimits.defaults());
    } catch (IOException e) {
      volume.close();
      throw e;
    }
    // SIGTERM/SIGINT: stop taking requests, then checkpoint so everything written is durable.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(server, volume), "intact-stop-volume"));
    out.println(server.uri(exportName) + (readOnly ? " (read-only)" : ""));
    out.flush();
    server.awaitClosed();
    return 0;
  }

  private static void stop(NbdServer server, Volume volume) {
    try {
      server.close();
    } catch (IOException e) {
      System.err.println("intact: closing the NBD server: " + e.getMessage());
    }
    try {
      volume.close();
    } catch (IOException e) {
      System.err.println("intact: making the volume durable failed: " + e.getMessage());
      Runtime.getRuntime().halt(1);
    }
    // Everything is durable: a requested stop is a success, not the JVM's 128+signal.
    Runtime.getRuntime().halt(0);
  }
}
