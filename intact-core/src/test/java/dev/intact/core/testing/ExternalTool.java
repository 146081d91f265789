package dev.intact.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer program the tests check Intact against (the Debian tools are the ground truth), named with
 * the Debian package that provides it.
 *
 * <p>A missing tool FAILS the test with the package to install: a cross-check that silently skips
 * proves nothing. A non-zero exit or a timeout fails it too, with the tool's stderr.
 *
 * <pre>{@code
 * static final ExternalTool B2SUM = ExternalTool.of("b2sum", "coreutils");
 * String line = B2SUM.run("-l", "256", file.toString());
 * }</pre>
 */
public record ExternalTool(String command, String debianPackage, Duration timeout) {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public ExternalTool {
    if (command.isBlank() || debianPackage.isBlank()) {
      throw new IllegalArgumentException("an external tool needs a command and a Debian package");
    }
  }

  /** The tool {@code command} from {@code debianPackage}, with a 60 s timeout per run. */
  public static ExternalTool of(String command, String debianPackage) {
    return new ExternalTool(command, debianPackage, DEFAULT_TIMEOUT);
  }

  public ExternalTool withTimeout(Duration timeout) {
    return new ExternalTool(command, debianPackage, timeout);
  }

  /** Runs the tool with these arguments and no input; returns its standard output. */
  public String run(String... args) {
    return run(null, args);
  }

  /** Runs the tool with {@code stdin} as its standard input; returns its standard output. */
  public String runWithInput(Path stdin, String... args) {
    return run(stdin, args);
  }

  /** The tool's absolute path, failing the test when it is not installed. */
  public Path require() {
    Path found = findOnPath(command);
    if (found == null) {
      fail(
          "'"
              + command
              + "' is not installed: install the Debian package '"
              + debianPackage
              + "' (apt-get install "
              + debianPackage
              + ")");
    }
    return found;
  }

  private String run(Path stdin, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(require().toString());
    argv.addAll(List.of(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("intact-tool-", ".out");
      err = Files.createTempFile("intact-tool-", ".err");
      // Output goes to files, not pipes, so a chatty tool can never block on a full pipe.
      ProcessBuilder builder =
          new ProcessBuilder(argv)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(
                  stdin == null
                      ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                      : ProcessBuilder.Redirect.from(stdin.toFile()));
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
        fail(describe(argv) + " did not finish within " + timeout + "; stderr: " + read(err));
      }
      if (process.exitValue() != 0) {
        fail(describe(argv) + " exited with " + process.exitValue() + "; stderr: " + read(err));
      }
      return read(out);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + describe(argv), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + describe(argv), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static Path findOnPath(String command) {
    if (command.contains("/")) {
      Path p = Path.of(command);
      return Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String describe(List<String> argv) {
    return "'" + String.join(" ", argv) + "'";
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temp file is harmless; the test's own result matters.
      }
    }
  }
}
