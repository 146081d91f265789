package dev.intact.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs the single-machine {@code intact} command line in-process, for intact-spark's tests to
 * compare with (it lives in the CLI's package to reach its package-private entry point).
 */
public final class InProcessIntact {
  private InProcessIntact() {}

  /** What a run printed and its exit status. */
  public record Result(int exit, String out, String err) {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cli.create(
                EngineSources::new,
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out),
                new PrintWriter(err),
                args)
            .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
