package dev.intact.cli.transfer;

import dev.intact.core.format.ImageOpener;
import dev.intact.core.format.OpenedImage;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact upload IMAGE URL}: send a local image to a daemon and prove it arrived. */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    header = "Upload a disk image to a daemon, then prove the daemon stored it.",
    sortOptions = false,
    description = {
      "Upload IMAGE to a daemon's image URL (https://host:54322/images/TICKET), holes as zero",
      "requests, then verify: the daemon checksums its storage and it must equal the checksum",
      "computed while reading IMAGE. Exit 0 verified, 1 mismatch or failure, 2 usage.",
      "",
      "IMAGE is the guest's disk: a raw file or device as it is, a qcow2 (or any format qemu",
      "reads) through a private read-only qemu-nbd, an OVA member with --member, or an",
      "nbd:// / nbd+unix:// export, so a raw and a qcow2 of one disk upload identically.",
      "Use -f raw to send a qcow2 file's own bytes instead.",
    })
public final class UploadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TransferFlags flags;

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Parameters(index = "1", paramLabel = "URL")
  URI url;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FMT",
      description = "Image format (raw, qcow2, vmdk, ... as qemu names them) instead of probing.")
  String format;

  @Option(
      names = "--member",
      paramLabel = "NAME",
      description = "Upload the disk image stored as member NAME of an OVA/tar archive.")
  String member;

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
        (c, p) -> {
          try (OpenedImage source = open()) {
            return c.upload(source, TransferCommands.urls(url, proxyUrl), flags.options(p));
          }
        });
  }

  private OpenedImage open() throws java.io.IOException {
    try {
      return ImageOpener.open(image, new ImageOpener.Options(member, format));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(image, null, "No such file or directory");
    }
  }
}
