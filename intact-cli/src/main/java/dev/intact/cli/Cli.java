package dev.intact.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the configured {@code intact} command line: exit codes (0 ok, 1 mismatch or failure, 2
 * usage), one-line errors with a hint, stack traces only with {@code --debug}. {@link Main} runs it
 * on the real streams; tests run it in-process on captured ones.
 */
final class Cli {
  static final String DEBUG = "--debug";

  /**
   * Columns of {@code --help}. Descriptions are written as lines of up to this width; picocli's
   * default of 80 would break each of them in two.
   */
  static final int HELP_WIDTH = 100;

  static {
    // picocli's default factory looks for groovy.lang.Closure once; the failed lookup walks every
    // jar of the class path (opening each, bcprov's 8 MB included): ~0.1-0.3 s of CPU per run.
    System.setProperty("picocli.disable.closures", "true");
  }

  private Cli() {}

  /** The command line to execute {@code args} with (it registers only what they need). */
  static CommandLine create(
      SourcesFactory sources, InputStream stdin, PrintWriter out, PrintWriter err, String[] args) {
    boolean debug = debugRequested(args);
    CommandLine cli = new CommandLine(new IntactCommand(sources, stdin).spec());
    Subcommands.register(cli, args);
    cli.setUsageHelpWidth(HELP_WIDTH); // after register: it reaches the subcommands added so far
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((ex, given) -> usageError(ex, debug));
    // picocli skips its unmatched-argument check when --help is given, so 'intact nosuch --help'
    // printed the top help and exited 0, as if nosuch existed.
    cli.setExecutionStrategy(
        parseResult -> {
          for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
              throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          PrintWriter e = cmd.getErr();
          e.println("intact: " + describe(ex));
          if (debug) {
            ex.printStackTrace(e);
          }
          e.flush();
          return CommandLine.ExitCode.SOFTWARE;
        });
    return cli;
  }

  private static int usageError(ParameterException ex, boolean debug) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("intact: " + unknownCommand(ex).orElse(ex.getMessage()));
    if (debug) {
      ex.printStackTrace(err);
    }
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  /**
   * "unknown command 'x'" when the first word names no command, rather than "Unmatched argument".
   */
  private static Optional<String> unknownCommand(ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException u
        && u.getCommandLine().getParent() == null
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().getFirst().startsWith("-")) {
      return Optional.of("unknown command '" + u.getUnmatched().getFirst() + "'");
    }
    return Optional.empty();
  }

  private static String describe(Exception ex) {
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }

  /**
   * Whether {@code --debug} is among the options. Logging must be configured before the first
   * logger exists, which is before picocli has parsed anything.
   */
  static boolean debugRequested(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals(DEBUG)) {
        return true;
      }
    }
    return false;
  }

  /** Quiet (warnings only) unless debugging; slf4j-simple reads these once, at its first use. */
  static void configureLogging(boolean debug) {
    if (debug) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
      System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
    }
  }
}
