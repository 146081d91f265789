package dev.intact.core.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A progress bar goes to stderr only when it is a terminal, as {@code isatty(3)} says. */
class TerminalTest {
  @TempDir Path dir;

  @Test
  void aPseudoTerminalIsATerminal() throws IOException {
    try (NativeFile pty = Posix.open(Path.of("/dev/ptmx"), Posix.O_RDWR | Posix.O_CLOEXEC, 0)) {
      assertThat(Terminal.isTerminal(pty.fd())).isTrue();
    }
  }

  @Test
  void aFileAndDevNullAreNot() throws IOException {
    Path file = Files.writeString(dir.resolve("log"), "text");
    try (NativeFile f = Posix.open(file, Posix.O_RDONLY, 0);
        NativeFile devNull = Posix.open(Path.of("/dev/null"), Posix.O_RDONLY, 0)) {
      assertThat(Terminal.isTerminal(f.fd())).isFalse();
      assertThat(Terminal.isTerminal(devNull.fd())).isFalse();
    }
  }

  @Test
  void aClosedDescriptorIsNot() {
    assertThat(Terminal.isTerminal(-1)).isFalse();
  }
}
