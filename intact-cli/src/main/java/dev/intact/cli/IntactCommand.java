package dev.intact.cli;

import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code intact} command. Each capability is a subcommand class of its own; adding one is one
 * line in {@code subcommands} below. Subcommands inherit {@code --debug} and may reach the shared
 * context (stdin, the checksum engine factory) with {@code @ParentCommand IntactCommand}.
 */
@Command(
    name = "intact",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Proves that disk images and files arrive, and stay, bit-for-bit intact:",
      "fast, sparse-aware checksums of every kind storage systems use.",
      ""
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact sum disk.img                     blkhash (sha256, 64 KiB blocks), as blksum",
      "  intact sum -a imageio disk.img          ovirt-imageio's checksum (blake2b-256, 4 MiB)",
      "  intact sum -a sha256 *.iso > SHA256SUMS same output as sha256sum",
      "  intact sum -a sha256 -c SHA256SUMS      check a published sum file",
      "  intact sum --list                       every algorithm Intact knows",
      "",
      "Run 'intact COMMAND --help' for the options of a command.",
      "Exit status: 0 all good, 1 a mismatch or a failure, 2 a usage error."
    },
    subcommands = {
      SumCommand.class,
      dev.intact.cli.nbd.InfoCommand.class,
      dev.intact.cli.nbd.ExtentsCommand.class,
      dev.intact.cli.nbd.ServeNbdCommand.class,
      dev.intact.cli.transfer.ServeCommand.class,
      dev.intact.cli.transfer.TicketCommand.class,
      dev.intact.cli.transfer.UploadCommand.class,
      dev.intact.cli.transfer.DownloadCommand.class,
      dev.intact.cli.transfer.CopyCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class IntactCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Log what happens (on stderr) and show stack traces of errors.")
  boolean debug;

  private final SourcesFactory sources;
  private final InputStream stdin;

  IntactCommand(SourcesFactory sources, InputStream stdin) {
    this.sources = sources;
    this.stdin = stdin;
  }

  /** Opens inputs for a subcommand, with {@code threads} checksum workers. */
  Sources sources(int threads) {
    return sources.create(threads, stdin);
  }

  InputStream stdin() {
    return stdin;
  }

  /** {@code intact} alone is a usage error: say what the commands are. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
