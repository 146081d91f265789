package dev.intact.cli;

import dev.intact.core.checksum.ChecksumType;
import java.io.IOException;

/** Opens the inputs named on the command line; {@code -} is standard input. */
@FunctionalInterface
interface Sources {
  /** Opens {@code name} to be summed as {@code type} (which decides the guest or file view). */
  Source open(String name, ChecksumType type) throws IOException;
}
