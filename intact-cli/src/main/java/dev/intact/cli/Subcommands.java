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
 * many commands there are. {@code --version} alone registers none (measured: building the 16 models
 * was most of {@code intact --version}'s CPU time); help and unknown names register them all.
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
    Optional<String> word = firstWord(args);
    Optional<Class<?>> named = word.flatMap(Subcommands::byName);
    if (named.isPresent()) {
      cli.addSubcommand(named.get());
      return;
    }
    if (word.isEmpty() && versionOnly(args)) {
      return;
    }
    for (Class<?> c : ALL) {
      cli.addSubcommand(c);
    }
    cli.addSubcommand(CommandLine.HelpCommand.class);
  }

  /**
   * Whether picocli will answer with the version and nothing else: {@code --version} (or {@code
   * -V}) among options only, and no help option, which picocli would answer with the command list.
   */
  private static boolean versionOnly(String[] args) {
    boolean version = false;
    for (String a : args) {
      switch (a) {
        case "--version", "-V" -> version = true;
        case "--help", "-h" -> {
          return false;
        }
        default -> {}
      }
    }
    return version;
  }

  // Loops, not streams: a lambda the AOT cache does not hold is spun up at run time.
  private static Optional<String> firstWord(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
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
