package dev.intact.cli.flash;

import dev.intact.core.bmap.BmapFormatException;
import dev.intact.core.flash.BmapNotFoundException;
import dev.intact.core.flash.FlashJob;
import dev.intact.core.flash.FlashOptions;
import dev.intact.core.flash.FlashReport;
import dev.intact.core.flash.FlashRequest;
import dev.intact.core.flash.IncompleteMarker;
import dev.intact.core.flash.RangeFailure;
import dev.intact.core.flash.TargetBusyException;
import dev.intact.core.flash.TargetTooSmallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact flash}: write an image to a device or file with a bmap, and prove it landed. */
@Command(
    name = "flash",
    sortOptions = false,
    header = "Write an image to a device or file with its bmap; read back and verify.",
    mixinStandardHelpOptions = true,
    description = {
      "Write IMAGE (raw, .gz, .xz, .zst, .bz2, or '-' for standard input) to DEST (a block",
      "device or a file), writing only the blocks its bmap maps. Each range is checked against",
      "the bmap's checksum before it is acknowledged and, for devices (or with",
      "--verify-readback), read back from the medium after an fsync, bypassing the page cache;",
      "a range that reads back wrong is rewritten from the source, up to --retries times.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact flash os.img.xz /dev/sdb          bmap found as os.img.xz.bmap or os.img.bmap",
      "  intact flash --bmap os.bmap os.img.zst /dev/mmcblk0",
      "  intact flash --verify-readback os.img copy.img",
      "  xz -dc os.img.xz | intact flash --bmap os.img.bmap - /dev/sdb",
      "  intact flash --nobmap disk.raw.gz /dev/sdc   whole image, verified all the same",
      "",
      "Exit status: 0 every range verified; 1 a failure (every failed range is named, and a",
      "destination file is marked by DEST.intact-incomplete); 2 a usage error."
    })
public class FlashCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image, or '-' for stdin.")
  String image;

  @Parameters(index = "1", paramLabel = "DEST", description = "Block device or file to write.")
  Path destination;

  @Option(
      names = "--bmap",
      paramLabel = "FILE",
      description = "The bmap (default: discovered next to IMAGE, as bmaptool does).")
  Path bmap;

  @Option(
      names = "--nobmap",
      description =
          "Flash the whole image; it is still verified, against digests taken while writing.")
  boolean noBmap;

  @Option(
      names = "--no-verify",
      description = "Do not check the source against the bmap's checksums.")
  boolean noVerify;

  @Option(
      names = "--verify-readback",
      description = "Read every range back from DEST (the default for block devices).")
  boolean verifyReadback;

  @Option(
      names = "--no-readback",
      description = "Do not read DEST back (the default for files when the bmap has checksums).")
  boolean noReadback;

  @Option(
      names = "--json",
      description = "Print the result as one JSON record (bytes, ranges verified, retries).")
  boolean json;

  @Option(names = "--no-progress", description = "No progress line (none unless on a terminal).")
  boolean noProgress;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "3",
      description = "Rewrites of a range that reads back wrong (default: ${DEFAULT-VALUE}).")
  int retries;

  private final InputStream stdin;

  public FlashCommand() {
    this(System.in);
  }

  FlashCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    if (bmap != null && noBmap) {
      throw new ParameterException(cli, "--bmap and --nobmap exclude each other");
    }
    if (verifyReadback && noReadback) {
      throw new ParameterException(cli, "--verify-readback and --no-readback exclude each other");
    }
    if (retries < 0) {
      throw new ParameterException(cli, "--retries must be 0 or more, not " + retries);
    }
    DeviceNames.refuseNewFileUnderDev(cli, destination);
    FlashOptions options =
        FlashOptions.DEFAULTS
            .withRetries(retries)
            .withVerifySource(!noVerify)
            .withReadBack(
                verifyReadback
                    ? FlashOptions.ReadBack.ON
                    : noReadback ? FlashOptions.ReadBack.OFF : FlashOptions.ReadBack.AUTO);
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    FlashRequest request =
        new FlashRequest(image, destination, Optional.ofNullable(bmap), noBmap, options);
    FlashJob.Outcome outcome;
    FlashProgress progress = new FlashProgress(err, !noProgress);
    try (progress) {
      outcome = FlashJob.run(request, stdin, progress);
    } catch (BmapFormatException e) {
      err.println("intact: " + e.getMessage());
      err.println("intact: the bmap cannot be trusted; nothing was written to " + destination);
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    } catch (NoSuchFileException e) {
      err.println("intact: " + e.getFile() + ": No such file or directory");
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    } catch (IOException e) {
      err.println("intact: " + e.getMessage());
      if (progress.started()
          && !(e instanceof TargetBusyException)
          && !(e instanceof TargetTooSmallException)
          && !(e instanceof BmapNotFoundException)) {
        incomplete(err, Optional.of(IncompleteMarker.pathFor(destination)).filter(Files::exists));
      }
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    }
    FlashReport r = outcome.report();
    out.println(json ? FlashRecord.of(r).toJson() : summary(r));
    out.flush();
    if (r.succeeded()) {
      return CommandLine.ExitCode.OK;
    }
    err.println(
        "intact: "
            + r.failures().size()
            + " of "
            + r.rangesTotal()
            + " ranges are NOT verified on "
            + destination
            + ":");
    for (RangeFailure f : r.failures()) {
      err.println("intact:   " + f);
    }
    incomplete(err, outcome.marker());
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  private void incomplete(PrintWriter err, Optional<Path> marker) {
    if (marker.isPresent()) {
      err.println(
          "intact: "
              + destination
              + " is INCOMPLETE: it does not hold a verified copy of "
              + image
              + " (marked by "
              + marker.get()
              + ")");
    } else {
      err.println(
          "intact: "
              + destination
              + " is INCOMPLETE: it does not hold a verified copy of "
              + image
              + "; do not use it");
    }
  }

  static String summary(FlashReport r) {
    String how =
        r.readBack()
            ? "verified by read-back"
            : "verified against the bmap's checksums (no read-back)";
    StringBuilder sb = new StringBuilder();
    sb.append(r.succeeded() ? "flashed " : "FAILED to flash ")
        .append(r.source())
        .append(" to ")
        .append(r.target())
        .append(": ")
        .append(r.bytesWritten())
        .append(" bytes written, ")
        .append(r.rangesVerified())
        .append('/')
        .append(r.rangesTotal())
        .append(" ranges ")
        .append(how);
    if (r.rangesUnverified() > 0) {
      sb.append(", ").append(r.rangesUnverified()).append(" not verified (as asked)");
    }
    sb.append(", ")
        .append(r.retries())
        .append(r.retries() == 1 ? " retry, " : " retries, ")
        .append(
            String.format(
                Locale.ROOT,
                "%.2f s, %.1f MiB/s",
                r.duration().toNanos() / 1e9,
                r.throughput() / (1 << 20)));
    return sb.toString();
  }
}
