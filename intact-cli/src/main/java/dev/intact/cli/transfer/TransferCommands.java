package dev.intact.cli.transfer;

import dev.intact.client.ImageClient;
import dev.intact.client.TransferClient;
import dev.intact.client.TransferProgress;
import dev.intact.client.TransferResult;
import dev.intact.core.checksum.ChecksumMismatchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Model.CommandSpec;

/** What upload, download and copy share: URLs with proxy fallback, errors as one line. */
final class TransferCommands {
  private TransferCommands() {}

  interface Work {
    TransferResult run(TransferClient client, TransferProgress progress) throws Exception;
  }

  static List<URI> urls(URI url, URI proxy) {
    List<URI> all = new ArrayList<>(List.of(url));
    if (proxy != null) {
      all.add(proxy);
    }
    return all;
  }

  /** Runs a transfer: exit 0 when done (and verified), 1 with a one-line reason otherwise. */
  static int run(CommandSpec spec, TransferFlags flags, String verb, String target, Work work) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = null;
    try {
      bar = flags.progressBar(verb);
      TransferResult r;
      try (TransferClient client = new TransferClient(flags.tls())) {
        r = work.run(client, TransferFlags.listener(bar));
      }
      closeQuietly(bar);
      bar = null;
      flags.report(out, err, verb, r, target);
      return 0;
    } catch (ChecksumMismatchException e) {
      closeQuietly(bar);
      err.println("intact: " + e.getMessage());
      if (!flags.repair) {
        err.println("intact: hint: --repair resends only the blocks that differ");
      }
      err.flush();
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      closeQuietly(bar);
      err.println("intact: " + e.getMessage());
      err.flush();
      return 1;
    } catch (Exception e) {
      closeQuietly(bar);
      err.println("intact: " + e);
      err.flush();
      return 1;
    }
  }

  private static void closeQuietly(ProgressBar bar) {
    if (bar != null) {
      bar.close();
    }
  }

  static String describe(URI u) {
    return ImageClient.describe(u);
  }
}
