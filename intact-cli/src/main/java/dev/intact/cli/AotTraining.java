package dev.intact.cli;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The training run behind {@code bin/intact}'s AOT cache (JEP 483/514): runs the common commands
 * once in one JVM, output discarded, so the cache holds the classes and profiles they use. The sum
 * commands take the sample image to read as their last argument.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: AotTraining SAMPLE_IMAGE");
      System.exit(2);
    }
    String sample = args[0];
    List<List<String>> runs =
        List.of(
            List.of("sum", sample),
            List.of("sum", "-a", "imageio", sample),
            List.of("sum", "-a", "sha256", sample),
            List.of("sum", "-a", "crc32c", "--tag", sample),
            List.of("sum", "-a", "sha256", "--json", sample),
            List.of("sum", "-a", "sha256", "-"),
            List.of("sum", "--list"),
            List.of("sum", "--help"),
            List.of("sum", "-a", "unknown", sample));
    PrintWriter discard =
        new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    for (List<String> run : runs) {
      String[] words = run.toArray(String[]::new);
      Cli.create(
              EngineSources::new, new ByteArrayInputStream(new byte[4096]), discard, discard, words)
          .execute(words);
    }
  }
}
