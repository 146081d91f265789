package dev.intact.cli.transfer;

import dev.intact.client.ClientTls;
import dev.intact.client.ExpectedChecksum;
import dev.intact.client.TransferOptions;
import dev.intact.client.TransferProgress;
import dev.intact.client.TransferResult;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.ByteRange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Option;

/** The options every transfer command shares (a mixin). */
public final class TransferFlags {
  @Option(
      names = "--cafile",
      paramLabel = "PEM",
      description = "Trust the daemon certificate(s) in this file.")
  Path cafile;

  @Option(
      names = "--insecure",
      description = "Do not authenticate the daemon (TLS still encrypts).")
  boolean insecure;

  @Option(
      names = {"-j", "--connections"},
      paramLabel = "N",
      description =
          "Parallel connections (default 4, capped by the daemon's max_readers/max_writers).")
  int connections = TransferOptions.DEFAULT_CONNECTIONS;

  @Option(
      names = "--checksum",
      paramLabel = "TYPE",
      description =
          "Checksum computed while sending: a block-hash list (default blkhash; imageio,"
              + " blkhash:ALG) or a whole-stream algorithm (sha256, crc32c, ...).")
  String checksum = "blkhash";

  @Option(names = "--block-size", paramLabel = "BYTES", description = "Block size of --checksum.")
  Long blockSize;

  @Option(names = "--no-verify", description = "Skip verification (a warning says so).")
  boolean noVerify;

  @Option(
      names = "--expected",
      paramLabel = "ALG:VALUE",
      description =
          "Also check the image against a checksum you already have (e.g. sha256:ab12...).")
  String expected;

  @Option(
      names = "--verify-only",
      description =
          "Send nothing: read the source and verify the destination (with --repair: fix it).")
  boolean verifyOnly;

  @Option(
      names = "--repair",
      description = "On a mismatch, resend only the differing blocks and verify again.")
  boolean repair;

  @Option(names = "--retries", paramLabel = "N", description = "Repair rounds at most (default 3).")
  int retries = TransferOptions.DEFAULT_RETRIES;

  @Option(
      names = "--range",
      paramLabel = "START-END",
      description = "Transfer and verify only bytes [START, END) of the image.")
  String range;

  @Option(
      names = "--no-progress",
      description = "No progress bar (none is drawn when stderr is not a terminal).")
  boolean noProgress;

  SSLContext tls() throws Exception {
    if (insecure) {
      return ClientTls.insecure();
    }
    return cafile != null ? ClientTls.caFile(cafile) : ClientTls.system();
  }

  TransferOptions options(TransferProgress progress) {
    TransferOptions o =
        TransferOptions.defaults()
            .withConnections(connections)
            .withChecksumType(
                ChecksumType.parse(
                    checksum,
                    blockSize == null ? OptionalLong.empty() : OptionalLong.of(blockSize)))
            .withVerify(!noVerify)
            .withRepair(repair, retries)
            .withVerifyOnly(verifyOnly)
            .withProgress(progress);
    if (expected != null) {
      o = o.withExpected(ExpectedChecksum.parse(expected, OptionalLong.empty()));
    }
    if (range != null) {
      o = o.withRange(parseRange(range));
    }
    return o;
  }

  static ByteRange parseRange(String text) {
    int dash = text.indexOf('-');
    try {
      if (dash > 0) {
        return new ByteRange(
            Long.parseLong(text.substring(0, dash).strip()),
            Long.parseLong(text.substring(dash + 1).strip()));
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "--range must be START-END in bytes with START <= END (END excluded), not '" + text + "'");
  }

  /** A progress bar on stderr when it is a terminal, else nothing. */
  // JDK 25's default (java.base) console is null when redirected; the JLine one is non-null then.
  @SuppressWarnings("SystemConsoleNull")
  ProgressBar progressBar(String task) {
    if (noProgress || System.console() == null || !System.console().isTerminal()) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setUnit("MiB", 1 << 20)
        .setInitialMax(0)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .showSpeed()
        .build();
  }

  static TransferProgress listener(ProgressBar bar) {
    if (bar == null) {
      return TransferProgress.NONE;
    }
    return (done, total) -> {
      synchronized (bar) {
        bar.maxHint(total);
        bar.stepTo(done);
      }
    };
  }

  /** One line per transfer on stdout; a warning on stderr when nothing was verified. */
  void report(PrintWriter out, PrintWriter err, String verb, TransferResult r, String target) {
    if (noVerify) {
      err.println("intact: warning: --no-verify: " + target + " was NOT verified");
    }
    out.printf(
        "%s %s %s %s bytes [%d, %d) %s (%d data, %d zero)%s%s%n",
        r.verified() ? "verified" : noVerify ? "unverified" : "empty",
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
    out.flush();
    err.flush();
  }
}
