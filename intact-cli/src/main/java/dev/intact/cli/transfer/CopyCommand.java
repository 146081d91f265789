package dev.intact.cli.transfer;

import java.net.URI;
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

  @Parameters(index = "0", paramLabel = "SOURCE_URL")
  URI source;

  @Parameters(index = "1", paramLabel = "DEST_URL")
  URI destination;

  @Override
  public Integer call() {
    return TransferCommands.run(
        spec,
        flags,
        "copy",
        "to " + TransferCommands.describe(destination),
        (c, p) ->
            c.copy(java.util.List.of(source), java.util.List.of(destination), flags.options(p)));
  }
}
