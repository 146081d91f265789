package dev.intact.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code intact} process: the command line on the real streams, exit status to the shell. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    boolean debug = Cli.debugRequested(args);
    Cli.configureLogging(debug);
    // UTF-8 whatever the locale: names print as the file system holds them (C.UTF-8 or POSIX).
    PrintWriter out = utf8(FileDescriptor.out);
    PrintWriter err = utf8(FileDescriptor.err);
    int status = Cli.create(EngineSources::new, System.in, out, err, args).execute(args);
    out.flush();
    err.flush();
    // exit, not halt, though exit costs ~20 ms of CPU (it logs through System.Logger, starting
    // java.util.logging): subcommands such as serve-nbd clean up in shutdown hooks.
    System.exit(status);
  }

  private static PrintWriter utf8(FileDescriptor fd) {
    return new PrintWriter(
        new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), false);
  }
}
