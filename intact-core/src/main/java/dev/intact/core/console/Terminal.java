package dev.intact.core.console;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether a file descriptor is a terminal. {@code System.console()} answers for stdin and stdout
 * together; a progress bar belongs on stderr only when stderr itself is a terminal, which only
 * {@code isatty(3)} tells. Lives here, beside the other FFM calls, so the CLI needs no native
 * access of its own.
 */
@SuppressWarnings("restricted") // FFM downcall: the launcher passes --enable-native-access
public final class Terminal {
  public static final int STDERR = 2;

  private Terminal() {}

  /** Whether {@code fd} is a terminal; false where libc has no {@code isatty} (not Unix). */
  public static boolean isTerminal(int fd) {
    try {
      return (int) Isatty.HANDLE.invokeExact(fd) == 1;
    } catch (Throwable t) {
      return false; // no libc symbol: behave as on a pipe
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
