package dev.intact.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * A C library function of integer and pointer arguments is called through the system calls' own
 * downcall stub ({@link Posix#call}): arguments arrive in order, unused ones are ignored, and the
 * whole 64-bit result comes back.
 */
class LibraryCallTest {
  private static final MemorySegment STRLEN =
      Linker.nativeLinker().defaultLookup().findOrThrow("strlen");
  private static final MemorySegment MEMCMP =
      Linker.nativeLinker().defaultLookup().findOrThrow("memcmp");

  @Test
  void strlenOfATextIsItsLength() throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment text = arena.allocateFrom("intact keeps data intact");
      assertThat(Posix.call(STRLEN, text.address(), 0, 0)).isEqualTo(24);
    }
  }

  @Test
  void threeArgumentsArriveInOrder() throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment a = arena.allocateFrom("abcdeX");
      MemorySegment b = arena.allocateFrom("abcdeY");
      assertThat(Posix.call(MEMCMP, a.address(), b.address(), 5)).as("first 5 bytes").isZero();
      assertThat((int) Posix.call(MEMCMP, a.address(), b.address(), 6)).isNegative();
      assertThat((int) Posix.call(MEMCMP, b.address(), a.address(), 6)).isPositive();
    }
  }
}
