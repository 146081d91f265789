package dev.intact.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;

/** The {@code intact} process: the command line on the real streams, exit status to the shell. */
public final class Main {
  private Main() {}

  public static void main(String[] jvmArgs) {
    String[] args = RawArguments.recover(jvmArgs);
    boolean debug = Cli.debugRequested(args);
    Cli.configureLogging(debug);
    // UTF-8 whatever the locale, and names print as the file system holds them (bytes).
    PrintWriter out = writer(FileDescriptor.out);
    PrintWriter err = writer(FileDescriptor.err);
    int status = Cli.create(EngineSources::new, System.in, out, err, args).execute(args);
    out.flush();
    err.flush();
    // exit, not halt, though exit costs ~20 ms of CPU (it logs through System.Logger, starting
    // java.util.logging): subcommands such as serve-nbd clean up in shutdown hooks.
    System.exit(status);
  }

  private static PrintWriter writer(FileDescriptor fd) {
    return new PrintWriter(new NameBytesWriter(new FileOutputStream(fd)), false);
  }
}
