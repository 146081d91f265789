package dev.intact.cli.archfixture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Breaks the CLI's layering on purpose: a command that manages native memory itself. */
public final class ViolatesCliWithNativeCall {
  private ViolatesCliWithNativeCall() {}

  public static long size() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(4096);
      return buffer.byteSize();
    }
  }
}
