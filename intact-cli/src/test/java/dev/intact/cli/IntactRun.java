package dev.intact.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code intact} command line in-process on captured streams. */
final class IntactRun {
  private IntactRun() {}

  /** What a run printed and its exit status. */
  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  static Result runWithStdin(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cli.create(
                EngineSources::new,
                new ByteArrayInputStream(stdin),
                new PrintWriter(out),
                new PrintWriter(err),
                args)
            .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
