package dev.intact.cli.transfer;

import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact copy URL URL}: daemon to daemon, verified at both ends. */
@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    header = "Copy an image between two daemons, verified on both.",
    sortOptions = false,
    description = {
      "Copy an image from one daemon to another through this host; both daemons checksum their",
      "storage and both must equal the checksum of the bytes that passed through.",
    })
public final class CopyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TransferFlags flags;

  @Parameters(
      index = "0",
      paramLabel = "SOURCE_URL",
      description = "The image URL to read: https://HOST:54322/images/TICKET.")
  String source;

  @Parameters(
      index = "1",
      paramLabel = "DEST_URL",
      description = "The image URL to write (a ticket with --write).")
  String destination;

  @Override
  public Integer call() {
    flags.validate(spec, false);
    URI from = DaemonUrls.parse(spec, "SOURCE_URL", source);
    URI to = DaemonUrls.parse(spec, "DEST_URL", destination);
    return TransferCommands.run(
        spec,
        flags,
        "copy",
        TransferCommands.describe(to),
        List.of(from, to),
        (c, p) -> c.copy(List.of(from), List.of(to), flags.options(p, OptionalLong.empty())));
  }
}
