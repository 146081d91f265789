package dev.intact.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a qemu-nbd started by Intact leaves behind if it leaks: a child process, and the private
 * socket directory ({@code intact-qemu-nbd-*} in the temporary directory). Tests take {@link
 * #socketDirs} before and compare after, and expect no {@link #children}.
 */
public final class QemuNbdLeaks {
  private QemuNbdLeaks() {}

  /** The qemu-nbd processes this JVM started that are still running. */
  public static Set<Long> children() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("qemu-nbd")).orElse(false))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** The private qemu-nbd socket directories that exist now. */
  public static Set<Path> socketDirs() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    if (tmp.toString().length() > 60) {
      tmp = Path.of("/tmp"); // where QemuNbd puts them when the temporary directory is too deep
    }
    try (var s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("intact-qemu-nbd-"))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
