package dev.intact.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class ExternalToolTest {

  @Test
  void returnsStandardOutput() {
    assertThat(ExternalTool.of("printf", "coreutils").run("%s-%s", "a", "b")).isEqualTo("a-b");
  }

  @Test
  void feedsAFileAsStandardInput(@TempDir Path dir) throws IOException {
    Path input = dir.resolve("in");
    Files.writeString(input, "123456789");
    assertThat(ExternalTool.of("cksum", "coreutils").runWithInput(input))
        .isEqualTo("930766865 9\n");
  }

  @Test
  void aMissingToolFailsNamingTheDebianPackage() {
    ExternalTool missing = ExternalTool.of("intact-no-such-tool", "intact-no-such-package");
    assertThatThrownBy(() -> missing.run("--version"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage(
            "'intact-no-such-tool' is not installed: install the Debian package"
                + " 'intact-no-such-package' (apt-get install intact-no-such-package)");
  }

  @Test
  void aFailingToolFailsTheTestWithItsStderr() {
    assertThatThrownBy(() -> ExternalTool.of("ls", "coreutils").run("/intact/no/such/dir"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("exited with 2")
        .hasMessageContaining("/intact/no/such/dir");
  }

  @Test
  void aHungToolIsKilledAtTheTimeout() {
    ExternalTool sleep = ExternalTool.of("sleep", "coreutils").withTimeout(Duration.ofMillis(200));
    assertThatThrownBy(() -> sleep.run("30"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("did not finish within PT0.2S");
  }
}
