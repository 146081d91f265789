package dev.intact.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether a standard stream is a terminal. {@code System.console()} answers for stdin and stdout
 * together; a progress bar belongs on stderr only when stderr itself is a terminal, which only
 * {@code isatty(2)} tells.
 */
final class Terminals {
  static final int STDERR = 2;

  private Terminals() {}

  static boolean isTerminal(int fd) {
    try {
      return (int) Isatty.HANDLE.invokeExact(fd) == 1;
    } catch (Throwable t) {
      return false; // no libc symbol (not Linux/Unix): behave as on a pipe
    }
  }

  private static final class Isatty {
    static final MethodHandle HANDLE =
        Linker.nativeLinker()
            .downcallHandle(
                Linker.nativeLinker().defaultLookup().find("isatty").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  }
}
