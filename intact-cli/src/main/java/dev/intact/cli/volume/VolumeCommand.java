package dev.intact.cli.volume;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code intact volume}: integrity volumes, every block checked against its tag on every read. */
@Command(
    name = "volume",
    header = "Integrity volumes: every block tagged at rest, crash-consistent, served over NBD.",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "A volume is a file or device holding data blocks, a tag per block that binds its content",
      "to its place (volume UUID and block number), and a journal that makes writes",
      "crash-consistent. A block whose tag fails is never returned: NBD reads of it get EIO.",
      ""
    },
    subcommands = {
      VolumeCreateCommand.class,
      VolumeServeCommand.class,
      VolumeCheckCommand.class,
      VolumeRepairCommand.class,
      VolumeScrubCommand.class,
      VolumeInfoCommand.class
    })
public final class VolumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
