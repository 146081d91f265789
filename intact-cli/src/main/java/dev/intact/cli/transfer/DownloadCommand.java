package dev.intact.cli.transfer;

import java.net.URI;
import java.nio.file.Path;
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
    })
public final class DownloadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TransferFlags flags;

  @Parameters(index = "0", paramLabel = "URL")
  URI url;

  @Parameters(index = "1", paramLabel = "FILE")
  Path file;

  @Option(
      names = "--proxy-url",
      paramLabel = "URL",
      description = "Tried when URL cannot be reached.")
  URI proxyUrl;

  @Override
  public Integer call() {
    return TransferCommands.run(
        spec,
        flags,
        "download",
        "to " + file,
        (c, p) -> c.download(TransferCommands.urls(url, proxyUrl), file, flags.options(p)));
  }
}
