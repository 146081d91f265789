package dev.intact.cli.transfer;

import dev.intact.server.IntactServer;
import dev.intact.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code intact serve}: the image daemon (data service over HTTPS, control service locally). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Run the transfer daemon: HTTPS image service and ticket control.",
    sortOptions = false,
    description = {
      "Serve images to verified transfers: an HTTPS data service (ovirt-imageio compatible, plus",
      "checksum jobs and block digests) and a control service for tickets on a unix socket or",
      "loopback. Settings: defaults, then --config FILE (JSON), then these flags.",
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON settings file.")
  Path config;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "Data service address (default: all).")
  String host;

  @Option(names = "--port", paramLabel = "N", description = "Data service port (default 54322).")
  Integer port;

  @Option(
      names = "--control-socket",
      paramLabel = "PATH",
      description = "Control service unix socket (default: loopback TCP, --control-port).")
  Path controlSocket;

  @Option(
      names = "--control-port",
      paramLabel = "N",
      description = "Control service loopback port (default 54324).")
  Integer controlPort;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "A directory whose files tickets may name (repeatable).")
  List<Path> roots;

  @Option(
      names = "--device",
      paramLabel = "DEV",
      description = "A block device tickets may name (repeatable).")
  List<Path> devices;

  @Option(
      names = "--nbd-socket-dir",
      paramLabel = "DIR",
      description = {
        "A directory whose unix sockets nbd: tickets may name, besides the roots (repeatable);",
        "e.g. a ticket url nbd:unix:/run/vdsm/nbd/X.sock[:exportname=NAME] or",
        "nbd+unix:///NAME?socket=/run/vdsm/nbd/X.sock."
      })
  List<Path> nbdSocketDirs;

  @Option(
      names = "--nbd-host",
      paramLabel = "HOST[:PORT]",
      description = "An NBD server nbd://HOST:PORT/NAME tickets may name (repeatable).")
  List<String> nbdHosts;

  @Option(
      names = "--cert",
      paramLabel = "PEM",
      description = "Certificate chain (with --key); default: self-signed.")
  Path cert;

  @Option(names = "--key", paramLabel = "PEM", description = "Private key of --cert.")
  Path key;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Where the self-signed pair is kept.")
  Path stateDir;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      converter = dev.intact.cli.TimeSpan.Converter.class,
      description =
          "Drop connections idle this long, or still sending request headers this long after"
              + " they began: 60, 90s, 5m (default 60s).")
  Duration idleTimeout;

  /** The settings: defaults, then the file, then the flags. */
  ServerConfig config() {
    ServerConfig c = ServerConfig.defaults();
    if (config != null) {
      c = ConfigErrors.apply(spec, c, config);
    }
    if (host != null) {
      c = c.withDataHost(host);
    }
    if (port != null) {
      c = c.withDataPort(port);
    }
    if (controlSocket != null) {
      c = c.withControlSocket(controlSocket);
    } else if (controlPort != null) {
      c = c.withControlPort(controlPort);
    }
    if (roots != null) {
      c = c.withRoots(roots);
    }
    if (devices != null) {
      c = c.withDevices(devices);
    }
    if (nbdSocketDirs != null) {
      c = c.withNbdSocketDirs(nbdSocketDirs);
    }
    if (nbdHosts != null) {
      c = c.withNbdHosts(nbdHosts);
    }
    if (cert != null || key != null) {
      if (cert == null || key == null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "give both --cert and --key, or neither");
      }
      c = c.withCertificate(cert, key);
    }
    if (stateDir != null) {
      c = c.withStateDir(stateDir);
    }
    if (idleTimeout != null) {
      c = c.withIdleTimeout(idleTimeout);
    }
    if (c.roots().isEmpty()
        && c.devices().isEmpty()
        && c.nbdSocketDirs().isEmpty()
        && c.nbdHosts().isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "give at least one --root DIR, --device DEV, --nbd-socket-dir DIR or --nbd-host HOST"
              + " for tickets to name");
    }
    return c;
  }

  private static Optional<java.net.BindException> bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException b) {
        return Optional.of(b);
      }
      if (t.getMessage() != null && t.getMessage().startsWith("Failed to bind")) {
        return Optional.of(new java.net.BindException(t.getMessage()));
      }
    }
    return Optional.empty();
  }

  /** Which service could not listen, why, and the flag that moves it. */
  static String bindMessage(ServerConfig c, Throwable e, java.net.BindException bind) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    String reason =
        bind.getCause() != null && bind.getCause().getMessage() != null
            ? bind.getCause().getMessage()
            : bind.getMessage() != null && !bind.getMessage().startsWith("Failed to bind")
                ? bind.getMessage()
                : "Address already in use";
    boolean control = c.controlSocket().isEmpty() && text.endsWith(":" + c.controlPort());
    if (control) {
      return "cannot listen on loopback port "
          + c.controlPort()
          + " (control service): "
          + reason
          + "; choose another with --control-port N (or --control-socket PATH)";
    }
    return "cannot listen on "
        + (c.dataHost() == null || c.dataHost().isEmpty() ? "*" : c.dataHost())
        + ":"
        + c.dataPort()
        + " (data service): "
        + reason
        + "; choose another with --port N (or --host ADDR); is another 'intact serve' running?";
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig c = config();
    // The daemon's own log lines (start, tickets, the access log) are its output.
    System.setProperty("org.slf4j.simpleLogger.log.dev.intact.server", "info");
    System.setProperty("org.slf4j.simpleLogger.log.intact.access", "info");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    IntactServer server;
    try {
      server = IntactServer.start(c);
    } catch (Exception e) {
      Optional<java.net.BindException> bind = bindFailure(e);
      if (bind.isEmpty()) {
        throw e;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("intact: " + bindMessage(c, e, bind.get()));
      err.flush();
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      try {
                        server.close();
                      } catch (Exception e) {
                        System.err.println("intact: stopping the daemon: " + e);
                      }
                    }));
    PrintWriter out = spec.commandLine().getOut();
    out.println("data service:    " + server.dataUri());
    out.println("certificate:     " + server.certificate());
    out.println(
        "control service: "
            + server
                .controlUri()
                .map(Object::toString)
                .orElseGet(() -> "unix:" + server.controlSocket().orElseThrow()));
    out.flush();
    server.join();
    return 0;
  }
}
