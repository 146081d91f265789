package dev.intact.cli.transfer;

import dev.intact.client.ImageClient;
import dev.intact.client.TransferClient;
import dev.intact.client.TransferProgress;
import dev.intact.client.TransferResult;
import dev.intact.core.checksum.ChecksumMismatchException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Runs a transfer: exit 0 when done (and verified), 1 with a one-line reason otherwise. {@code
   * daemons} are the URLs involved, for messages that name the daemon (never the ticket).
   */
  static int run(
      CommandSpec spec,
      TransferFlags flags,
      String verb,
      String target,
      List<URI> daemons,
      Work work) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TransferResult r;
    try (TransferBar bar = TransferBar.start(verb, !flags.noProgress)) {
      try (TransferClient client = new TransferClient(flags.tls())) {
        r = work.run(client, bar);
      }
    } catch (ChecksumMismatchException e) {
      err.println("intact: " + e.getMessage());
      if (!flags.repair) {
        err.println("intact: hint: --repair resends only the blocks that differ");
      }
      err.flush();
      return 1;
    } catch (Exception e) {
      err.println("intact: " + TransferErrors.describe(e, daemons));
      err.flush();
      return 1;
    }
    report(flags, out, err, verb, r, target);
    return 0;
  }

  /** One line per transfer on stdout (or a JSON record); a warning when nothing was verified. */
  static void report(
      TransferFlags flags,
      PrintWriter out,
      PrintWriter err,
      String verb,
      TransferResult r,
      String target) {
    if (flags.noVerify) {
      err.println("intact: warning: --no-verify: " + target + " was NOT verified");
    }
    if (flags.json) {
      out.println(TransferRecord.of(verb, r, target).toJson());
    } else {
      out.printf(
          "%s %s %s %s bytes [%d, %d) to %s (%d data, %d zero)%s%s%n",
          r.verified() ? "verified" : flags.noVerify ? "unverified" : "empty",
          verb,
          r.checksum().type().name() + ":" + r.checksum().value().toHex(),
          r.range().length(),
          r.range().start(),
          r.range().end(),
          target,
          r.dataBytes(),
          r.zeroBytes(),
          r.repairRounds() > 0
              ? ", repaired " + r.repairedBlocks() + " blocks in " + r.repairRounds() + " round(s)"
              : "",
          // A daemon without checksum jobs (imageio) was compared through its /checksum: say so.
          r.comparedInstead()
              .map(c -> ", compared as " + c.type().name() + ":" + c.value().toHex())
              .orElse(""));
    }
    out.flush();
    err.flush();
  }

  static String describe(URI u) {
    return ImageClient.describe(u);
  }
}
