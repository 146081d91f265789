package dev.intact.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands of {@code intact}. A capability joins the command line with one line in {@link
 * #COMMANDS}: its class, annotated with picocli's {@code @Command(name = ...)}.
 *
 * <p>Only the subcommand being run is registered with picocli: building a command's model by
 * reflection costs start-up time, and {@code intact sum} on an empty image must stay fast however
 * many commands there are. Help and unknown names register them all.
 */
final class Subcommands {
  private static final Class<?>[] COMMANDS = {
    SumCommand.class, // intact sum
    dev.intact.cli.nbd.InfoCommand.class,
    dev.intact.cli.nbd.ExtentsCommand.class,
    dev.intact.cli.nbd.ServeNbdCommand.class,
    dev.intact.cli.transfer.ServeCommand.class,
    dev.intact.cli.transfer.TicketCommand.class,
    dev.intact.cli.transfer.UploadCommand.class,
    dev.intact.cli.transfer.DownloadCommand.class,
    dev.intact.cli.transfer.CopyCommand.class,
    dev.intact.cli.flash.FlashCommand.class,
    dev.intact.cli.flash.BmapCommand.class,
    dev.intact.cli.record.RecordCommand.class,
    dev.intact.cli.record.VerifyCommand.class,
    dev.intact.cli.record.ArchiveCommand.class,
    dev.intact.cli.record.ScrubCommand.class,
    dev.intact.cli.volume.VolumeCommand.class,
  };

  static final List<Class<?>> ALL = List.of(COMMANDS);

  private Subcommands() {}

  /** Registers what {@code args} needs: the named subcommand, or every one (and help). */
  static void register(CommandLine cli, String[] args) {
    Optional<Class<?>> named = firstWord(args).flatMap(Subcommands::byName);
    if (named.isPresent()) {
      cli.addSubcommand(named.get());
      return;
    }
    for (Class<?> c : ALL) {
      cli.addSubcommand(c);
    }
    cli.addSubcommand(CommandLine.HelpCommand.class);
  }

  private static Optional<String> firstWord(String[] args) {
    return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst();
  }

  private static Optional<Class<?>> byName(String name) {
    for (Class<?> c : ALL) {
      Command command = c.getAnnotation(Command.class);
      if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
