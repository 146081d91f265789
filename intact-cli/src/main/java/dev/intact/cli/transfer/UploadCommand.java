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

/** {@code intact upload FILE URL}: send a local image to a daemon and prove it arrived. */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    header = "Upload a file to a daemon, then prove the daemon stored it.",
    sortOptions = false,
    description = {
      "Upload FILE to a daemon's image URL (https://host:54322/images/TICKET), holes as zero",
      "requests, then verify: the daemon checksums its storage and it must equal the checksum",
      "computed while reading FILE. Exit 0 verified, 1 mismatch or failure, 2 usage.",
    })
public final class UploadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TransferFlags flags;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Parameters(index = "1", paramLabel = "URL")
  URI url;

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
        "upload",
        "to " + TransferCommands.describe(url),
        (c, p) -> c.upload(file, TransferCommands.urls(url, proxyUrl), flags.options(p)));
  }
}
