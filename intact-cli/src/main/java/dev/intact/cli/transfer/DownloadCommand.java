package dev.intact.cli.transfer;

import dev.intact.core.format.ImageCreator;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact download URL FILE}: fetch an image into a new file and prove it is the same. */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    header = "Download a daemon's image to a new file, verified.",
    sortOptions = false,
    description = {
      "Download a daemon's image into a new FILE (sparse), then verify it against a checksum the",
      "daemon computes from its storage. A failed or unverified download leaves no FILE behind.",
      "",
      "-O qcow2 (the default when FILE ends in .qcow2) creates FILE with qemu-img and writes it",
      "through a private read-write qemu-nbd, zero runs left unallocated; the qcow2 is then read",
      "back through qemu-nbd after a flush and verified as well.",
      "",
      "The options below are upload's; here -a is the checksum computed while receiving,",
      "--verify-only reads FILE and the daemon's image without receiving, and --repair",
      "fetches again only the blocks of FILE that differ.",
      "",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact download --cafile server-cert.pem https://host:54322/images/TICKET disk.raw",
      "  intact download -a sha256 --json https://host:54322/images/TICKET disk.qcow2",
      "",
      "Exit status: 0 verified, 1 mismatch or failure (FILE removed), 2 usage error."
    })
public final class DownloadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TransferFlags flags;

  @Parameters(
      index = "0",
      paramLabel = "URL",
      description = "The daemon's image URL: https://HOST:54322/images/TICKET.")
  String url;

  @Parameters(
      index = "1",
      paramLabel = "FILE",
      description = "The new file to create (an existing file is never overwritten).")
  Path file;

  @Option(
      names = {"-O", "--output-format"},
      paramLabel = "FMT",
      description =
          "Format of FILE: raw or qcow2 (default: qcow2 if FILE ends in .qcow2, else raw).")
  String outputFormat;

  @Option(
      names = "--proxy-url",
      paramLabel = "URL",
      description = "Tried when URL cannot be reached.")
  String proxyUrl;

  /** The explicit -O, else what the file name says: nobody wants a raw file named *.qcow2. */
  String format() {
    if (outputFormat != null) {
      if (!ImageCreator.FORMATS.contains(outputFormat)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "-O/--output-format must be one of "
                + String.join(", ", ImageCreator.FORMATS)
                + ", not '"
                + outputFormat
                + "'");
      }
      return outputFormat;
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return name.endsWith(".qcow2") ? "qcow2" : "raw";
  }

  @Override
  public Integer call() {
    flags.validate(spec, false);
    String format = format();
    URI from = DaemonUrls.parse(spec, "URL", url);
    URI proxy = proxyUrl == null ? null : DaemonUrls.parse(spec, "--proxy-url", proxyUrl);
    List<URI> urls = TransferCommands.urls(from, proxy);
    return TransferCommands.run(
        spec,
        flags,
        "download",
        file + (format.equals("raw") ? "" : " (" + format + ")"),
        urls,
        (c, p) -> c.download(urls, file, format, flags.options(p, OptionalLong.empty())));
  }
}
