package dev.intact.cli.flash;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code intact bmap}: bmaptool's commands, {@code create} and {@code copy}. */
@Command(
    name = "bmap",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = {"Block maps of sparse images, compatible with bmaptool (bmap-tools).", ""},
    subcommands = {BmapCreateCommand.class, BmapCopyCommand.class})
public final class BmapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
