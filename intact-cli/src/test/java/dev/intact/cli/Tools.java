package dev.intact.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a Debian peer tool; a missing tool fails the test, naming the package to install. */
final class Tools {
  private Tools() {}

  record Result(int exit, String out, String err) {}

  static Result run(Path dir, byte[] stdin, String... command) {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile());
    pb.environment().put("LC_ALL", "C.UTF-8");
    try {
      Process p = pb.start();
      CompletableFuture<byte[]> err =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      try (var in = p.getOutputStream()) {
        in.write(stdin);
      }
      byte[] out = p.getInputStream().readAllBytes();
      int exit = p.waitFor();
      return new Result(
          exit,
          new String(out, StandardCharsets.UTF_8),
          new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run " + command[0] + " (install the Debian package coreutils): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
