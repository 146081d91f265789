package dev.intact.cli;

import java.io.IOException;

/** Opens the inputs named on the command line; {@code -} is standard input. */
@FunctionalInterface
interface Sources {
  Source open(String name) throws IOException;
}
