package dev.intact.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;

/** The {@code intact} process: the command line on the real streams, exit status to the shell. */
public final class Main {
  private Main() {}

  public static void main(String[] jvmArgs) {
    // UTF-8 whatever the locale, and names print as the file system holds them (bytes).
    int status =
        run(RawArguments.recover(jvmArgs), writer(FileDescriptor.out), writer(FileDescriptor.err));
    // Success with nothing else running: return, and the JVM ends as System.exit(0) would (the
    // shutdown hooks run) without Runtime.exit's System.Logger lookup, which starts
    // java.util.logging and searches every jar for a LoggerFinder (~20-60 ms of CPU). Any other
    // status, or a thread left running, goes through exit: never halt, since subcommands such as
    // serve-nbd clean up in shutdown hooks.
    if (status == 0 && aloneInTheJvm()) {
      return;
    }
    System.exit(status);
  }

  /**
   * Whether no platform thread but this one would keep the JVM alive (virtual ones are daemons).
   */
  private static boolean aloneInTheJvm() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 8];
    int n = root.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      Thread t = threads[i];
      if (t != Thread.currentThread() && !t.isDaemon() && t.isAlive()) {
        return false;
      }
    }
    return n < threads.length; // a full array may have missed some: be safe
  }

  /**
   * The command line on these streams, flushed; {@link AotTraining} runs it as the process does.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // What picocli prints for it, without building the command model by reflection (most of
      // the CPU time of `intact --version` once the JVM is up).
      for (String line : new VersionProvider().getVersion()) {
        out.println(line);
      }
      out.flush();
      return 0;
    }
    Cli.configureLogging(Cli.debugRequested(args));
    int status = Cli.create(EngineSources::new, System.in, out, err, args).execute(args);
    out.flush();
    err.flush();
    return status;
  }

  private static PrintWriter writer(FileDescriptor fd) {
    return new PrintWriter(new NameBytesWriter(new FileOutputStream(fd)), false);
  }
}
