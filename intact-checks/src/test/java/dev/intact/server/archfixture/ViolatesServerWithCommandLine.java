package dev.intact.server.archfixture;

import picocli.CommandLine;

/** Breaks the server's layering on purpose: the daemon parsing a command line. */
public final class ViolatesServerWithCommandLine {
  private ViolatesServerWithCommandLine() {}

  public static String usage(Object command) {
    return new CommandLine(command).getUsageMessage();
  }
}
