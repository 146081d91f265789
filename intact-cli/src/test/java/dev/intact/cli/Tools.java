package dev.intact.cli;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a peer tool for a comparison that needs its exit status and stderr too ({@code sha256sum -c}
 * exits 1 on a mismatch, which {@link ExternalTool#run} treats as a failure). A missing tool fails
 * the test, naming its Debian package, as {@link ExternalTool} does.
 */
final class Tools {
  static final ExternalTool SHA256SUM = ExternalTool.of("sha256sum", "coreutils");

  private Tools() {}

  record Result(int exit, String out, String err) {}

  static Result run(ExternalTool tool, Path dir, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(tool.require().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
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
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }
}
