package dev.intact.cli;

import dev.intact.core.console.Terminal;

/**
 * Whether a standard stream is a terminal. The {@code isatty} call itself is in the core library
 * ({@link Terminal}): the CLI makes no native calls of its own.
 */
final class Terminals {
  static final int STDERR = Terminal.STDERR;

  private Terminals() {}

  static boolean isTerminal(int fd) {
    return Terminal.isTerminal(fd);
  }
}
