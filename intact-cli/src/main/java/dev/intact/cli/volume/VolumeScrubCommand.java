package dev.intact.cli.volume;

import dev.intact.cli.Progress;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import dev.intact.core.volume.Scrubber;
import dev.intact.core.volume.Volume;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact volume scrub}: read every block through verification, at a limited rate. */
@Command(
    name = "scrub",
    mixinStandardHelpOptions = true,
    description = {
      "Read a whole volume through its tags: a served one by its NBD URL (the server answers a",
      "bad block with EIO), or one that is not served by its path. Rate-limited, resumable",
      "(--resume continues where a killed scrub stopped), and prints the bad byte ranges.",
      "Exit 0 clean, 1 bad blocks.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact volume scrub 'nbd+unix:///?socket=/tmp/vol.sock' --rate 200M",
      "  intact volume scrub disk.vol --resume"
    })
public final class VolumeScrubCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH|NBD-URL", description = "The volume.")
  String target;

  @Option(
      names = "--rate",
      paramLabel = "BYTES",
      converter = Sizes.class,
      description = "Read at most this many bytes per second (200M); default unlimited.")
  long rate;

  @Option(names = "--resume", description = "Continue from the state a previous scrub left.")
  boolean resume;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description = "Where progress is kept (default: PATH.scrub, or one per URL in the temp dir).")
  Path state;

  @Option(
      names = "--block-size",
      paramLabel = "SIZE",
      converter = Sizes.class,
      description = "Granularity of bad ranges over NBD (default 4K; a path uses its own).")
  long blockSize = 4096;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin KeyFile key = new KeyFile();

  @Override
  public Integer call() throws Exception {
    boolean nbd = NbdUri.isNbdUri(target);
    Path statePath = state;
    if (statePath == null) {
      statePath =
          nbd
              ? Path.of(
                  System.getProperty("java.io.tmpdir"),
                  "intact-scrub-" + HexFormat.of().toHexDigits(target.hashCode()) + ".state")
              : Path.of(target + ".scrub");
    }
    if (blockSize < 512 || blockSize > (64 << 10)) {
      throw new ParameterException(spec.commandLine(), "--block-size must be 512 to 64K");
    }
    Volume volume = nbd ? null : Volume.open(Path.of(target), true, key.read());
    Image image = nbd ? NbdImage.open(NbdUri.parse(target)) : volume;
    int bs = nbd ? (int) blockSize : volume.geometry().blockSize();
    Scrubber.Result r;
    try (image) {
      long size = image.size();
      // The bar sum and record scrub draw (on a terminal only, so --json and pipes stay clean).
      try (Progress.Task progress =
          json ? null : Progress.onStderr().start("scrub " + target, size)) {
        r =
            new Scrubber(image, bs, rate, statePath)
                .scrub(resume, progress == null ? n -> {} : progress.listener());
      }
      if (volume != null) {
        volume.recordScrub(Instant.now().getEpochSecond(), r.badBlocks(bs));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<String> ranges = new ArrayList<>();
      for (ByteRange b : r.bad()) {
        ranges.add("{\"start\":" + b.start() + ",\"end\":" + b.end() + "}");
      }
      out.println(
          "{\"volume\":"
              + Json.string(target)
              + ",\"size\":"
              + r.size()
              + ",\"resumed_from\":"
              + r.resumedFrom()
              + ",\"bad_blocks\":"
              + r.badBlocks(bs)
              + ",\"bad\":["
              + String.join(",", ranges)
              + "]}");
    } else {
      for (ByteRange b : r.bad()) {
        out.println(
            "bad bytes " + b + " (blocks " + b.start() / bs + "-" + (b.end() - 1) / bs + ")");
      }
      out.println(
          target
              + ": scrubbed "
              + r.size()
              + " bytes"
              + (r.resumedFrom() > 0 ? " (resumed at " + r.resumedFrom() + ")" : "")
              + ", "
              + (r.bad().isEmpty() ? "all blocks verified" : r.badBlocks(bs) + " bad blocks"));
    }
    return r.bad().isEmpty() ? 0 : 1;
  }
}
