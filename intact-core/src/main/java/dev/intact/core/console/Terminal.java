package dev.intact.core.console;

import dev.intact.core.posix.Posix;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Whether a file descriptor is a terminal. {@code System.console()} answers for stdin and stdout
 * together; a progress bar belongs on stderr only when stderr itself is a terminal, which only
 * {@code isatty(3)} tells. Lives here, beside the other FFM calls, so the CLI needs no native
 * access of its own. Called through the system calls' own downcall stub ({@link Posix#call}): a
 * progress bar's first look at stderr links nothing.
 */
public final class Terminal {
  public static final int STDERR = 2;

  private static final Optional<MemorySegment> ISATTY =
      Linker.nativeLinker().defaultLookup().find("isatty");

  private Terminal() {}

  /** Whether {@code fd} is a terminal; false where libc has no {@code isatty} (not Unix). */
  public static boolean isTerminal(int fd) {
    if (ISATTY.isEmpty()) {
      return false; // no libc symbol: behave as on a pipe
    }
    try {
      return (int) Posix.call(ISATTY.get(), fd, 0, 0) == 1;
    } catch (Throwable t) {
      return false;
    }
  }
}
