package dev.intact.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The subcommands of {@code intact}. A capability joins the command line with one line in {@link
 * #ANNOTATED}: its class, annotated with picocli's {@code @Command(name = ...)}; or, for a command
 * whose start-up matters, in {@link #BUILT}: its name and a model built in code ({@link
 * SumCommand}), since reading annotations makes the JDK generate proxy classes no AOT cache holds.
 *
 * <p>Only the subcommand being run is registered with picocli: building a command's model by
 * reflection costs start-up time, and {@code intact sum} on an empty image must stay fast however
 * many commands there are. {@code --version} alone registers none (building the 16 models was most
 * of {@code intact --version}'s CPU time); help and unknown names register them all.
 */
final class Subcommands {
  /** Built in code, by name; listed first in the help. */
  private static final Map<String, Supplier<CommandSpec>> BUILT =
      Map.of(SumCommand.NAME, SumCommand::model);

  private static final Class<?>[] ANNOTATED = {
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

  private Subcommands() {}

  /** Registers what {@code args} needs: the named subcommand, or every one (and help). */
  static void register(CommandLine cli, String[] args) {
    Optional<String> word = firstWord(args);
    Supplier<CommandSpec> built = word.map(BUILT::get).orElse(null);
    if (built != null) {
      cli.addSubcommand(built.get());
      return;
    }
    Optional<Class<?>> named = word.flatMap(Subcommands::byName);
    if (named.isPresent()) {
      cli.addSubcommand(named.get());
      return;
    }
    if (word.isEmpty() && versionOnly(args)) {
      return;
    }
    for (Supplier<CommandSpec> model : BUILT.values()) {
      cli.addSubcommand(model.get());
    }
    for (Class<?> c : ANNOTATED) {
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
    for (Class<?> c : ANNOTATED) {
      Command command = c.getAnnotation(Command.class);
      if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
