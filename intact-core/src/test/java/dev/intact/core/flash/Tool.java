package dev.intact.core.flash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Debian peer tool for a test. A missing tool fails the test naming the package to install:
 * a test that silently skips would hide a regression.
 */
final class Tool {
  private Tool() {}

  record Result(int exit, String stdout, String stderr) {}

  /** Runs {@code command}; fails unless it exits 0. */
  static Result run(String debianPackage, String... command) throws IOException {
    Result r = runAllowingFailure(debianPackage, null, null, command);
    if (r.exit() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited " + r.exit() + ": " + r.stderr().strip());
    }
    return r;
  }

  /** Runs {@code command} with stdin/stdout redirected to files when given. */
  static Result runAllowingFailure(
      String debianPackage, Path stdin, Path stdout, String... command) throws IOException {
    require(command[0], debianPackage);
    ProcessBuilder pb = new ProcessBuilder(List.of(command));
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Path out = stdout != null ? stdout : Files.createTempFile("intact-tool", ".out");
    Path err = Files.createTempFile("intact-tool", ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    try {
      String o = stdout != null ? "" : Files.readString(out, StandardCharsets.UTF_8);
      return new Result(p.exitValue(), o, Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      if (stdout == null) {
        Files.deleteIfExists(out);
      }
      Files.deleteIfExists(err);
    }
  }

  /** Fails naming the Debian package when {@code program} is not on the PATH. */
  static void require(String program, String debianPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    if (program.contains("/")) {
      if (Files.isExecutable(Path.of(program))) {
        return;
      }
    } else {
      for (String d : dirs) {
        if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
          return;
        }
      }
    }
    throw new AssertionError(
        program + " is not installed: install the Debian package '" + debianPackage + "'");
  }
}
