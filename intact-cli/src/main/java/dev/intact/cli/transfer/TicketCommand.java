package dev.intact.cli.transfer;

import dev.intact.cli.ByteSize;
import dev.intact.cli.TimeSpan;
import dev.intact.client.ControlClient;
import dev.intact.core.image.LocalImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.volume.Volume;
import dev.intact.server.ticket.TicketId;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact ticket add|show|extend|remove}: tickets on a running daemon, without curl. */
@Command(
    name = "ticket",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "Manage the tickets of a running 'intact serve' through its control service.",
    subcommands = {
      TicketCommand.Add.class,
      TicketCommand.Show.class,
      TicketCommand.Extend.class,
      TicketCommand.Remove.class,
    })
@SuppressWarnings("try") // ControlClient.close() waits, so it may throw InterruptedException
public final class TicketCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add a ticket for IMAGE and print its id (the credential of the data URL).",
        "IMAGE is a file under one of the daemon's roots, an allow-listed block device, or an NBD",
        "export the daemon may reach (nbd:unix:/run/qemu.sock[:exportname=NAME],",
        "nbd+unix:///NAME?socket=PATH, nbd://HOST:PORT/NAME; see intact serve --nbd-socket-dir",
        "and --nbd-host). The daemon checks the image when the ticket is added.",
      })
  public static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ControlOptions control;

    @Parameters(paramLabel = "IMAGE", description = "A file under a root, a device, or an NBD URL.")
    String image;

    @Option(
        names = "--id",
        paramLabel = "ID",
        description = "Ticket id (default: 256 random bits, base64url).")
    String id;

    @Option(
        names = "--size",
        paramLabel = "SIZE",
        converter = ByteSize.Converter.class,
        description = "Bytes the ticket covers: 1048576, 64M, 1G (default: the image's size).")
    Long size;

    @Option(names = "--write", description = "Allow writes (upload); the default is read only.")
    boolean write;

    @Option(
        names = "--volume",
        description =
            "The file is an Intact integrity volume: store and read through its tags (default"
                + " size: the volume's). A volume file is refused without --volume or --raw.")
    boolean volume;

    @Option(
        names = "--raw",
        description = "Use the file's bytes as they are, even if it is an Intact volume.")
    boolean raw;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = TimeSpan.Converter.class,
        description = "Time until the ticket expires: 3600, 90s, 10m, 2h, 1d (default 1h).")
    Duration timeout = Duration.ofHours(1);

    @Option(
        names = "--inactivity-timeout",
        paramLabel = "DURATION",
        converter = TimeSpan.Converter.class,
        description = "Idle time (no request) that expires it: 60, 5m, ... (default 60s).")
    Duration inactivityTimeout = Duration.ofSeconds(60);

    @Option(
        names = "--data-url",
        paramLabel = "URL",
        description = "The data service's base (https://host:54322/images/): print the full URL.")
    String dataUrl;

    @Override
    public Integer call() throws Exception {
      boolean nbd = NbdUri.isNbdUri(image);
      Path abs = nbd ? null : Path.of(image).toAbsolutePath();
      long bytes;
      if (volume && raw) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--volume and --raw exclude each other: choose one");
      }
      if (volume && nbd) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--volume needs a file, not an NBD URL: " + image);
      }
      if (size != null) {
        bytes = size;
      } else if (volume) {
        bytes = Volume.readSuperblock(abs).geometry().size();
      } else if (nbd) {
        // The export as this host sees it; the daemon checks it again from its side.
        try (NbdImage export = NbdImage.open(NbdUri.parse(image))) {
          bytes = export.size();
        }
      } else {
        try (LocalImage local = LocalImage.openRead(abs)) {
          bytes = local.size();
        } catch (NoSuchFileException e) {
          throw new NoSuchFileException(image + ": No such file or directory");
        } catch (NativeIoException e) {
          if (e.isNoSuchFile()) {
            throw new NoSuchFileException(image + ": No such file or directory");
          }
          throw e;
        }
      }
      String ticketId = id != null ? id : TicketId.random();
      List<String> ops = new ArrayList<>(List.of("read"));
      if (write) {
        ops.add("write");
      }
      Map<String, Object> ticket = new LinkedHashMap<>();
      ticket.put("uuid", ticketId);
      ticket.put("url", nbd ? image : abs.toUri().toString());
      ticket.put("size", bytes);
      ticket.put("ops", ops);
      ticket.put("timeout", timeout.toSeconds());
      ticket.put("inactivity_timeout", inactivityTimeout.toSeconds());
      if (!nbd) {
        ticket.put("filename", abs.getFileName().toString());
      }
      if (volume || raw) {
        ticket.put("storage", volume ? "volume" : "raw");
      }
      try (ControlClient c = control.connect()) {
        c.add(ticketId, ticket);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          dataUrl == null
              ? ticketId
              : (dataUrl.endsWith("/") ? dataUrl : dataUrl + "/") + ticketId);
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print a ticket and its state as JSON.")
  public static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ControlOptions control;

    @Parameters(paramLabel = "ID", description = "The ticket's id (what 'ticket add' printed).")
    String id;

    @Override
    public Integer call() throws Exception {
      try (ControlClient c = control.connect()) {
        spec.commandLine().getOut().println(c.show(id));
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "extend",
      mixinStandardHelpOptions = true,
      description = "Make a ticket expire DURATION from now.")
  public static final class Extend implements Callable<Integer> {
    @Mixin ControlOptions control;

    @Parameters(index = "0", paramLabel = "ID", description = "The ticket's id.")
    String id;

    @Parameters(
        index = "1",
        paramLabel = "DURATION",
        converter = TimeSpan.Converter.class,
        description = "From now until it expires: seconds (600) or 90s, 10m, 2h, 1d.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
      try (ControlClient c = control.connect()) {
        c.extend(id, duration.toSeconds());
      }
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a ticket, cancelling its requests and checksum jobs (idempotent).")
  public static final class Remove implements Callable<Integer> {
    @Mixin ControlOptions control;

    @Parameters(paramLabel = "ID", description = "The ticket's id.")
    String id;

    @Override
    public Integer call() throws Exception {
      try (ControlClient c = control.connect()) {
        c.remove(id);
      }
      return 0;
    }
  }
}
