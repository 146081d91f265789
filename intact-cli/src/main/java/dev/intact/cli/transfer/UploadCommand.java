package dev.intact.cli.transfer;

import dev.intact.core.format.ImageOpener;
import dev.intact.core.format.OpenedImage;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.OptionalLong;
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
      "computed while reading IMAGE.",
      "",
      "IMAGE is the guest's disk: a raw file or device as it is, a qcow2 (or any format qemu",
      "reads) through a private read-only qemu-nbd, an OVA member with --member, or an",
      "nbd:// / nbd+unix:// export, so a raw and a qcow2 of one disk upload identically.",
      "Use -f raw to send a qcow2 file's own bytes instead.",
      "",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact upload --cafile /var/lib/intact/server-cert.pem disk.qcow2 \\",
      "      https://host:54322/images/TICKET",
      "  intact upload -a sha256 --json disk.raw https://host:54322/images/TICKET",
      "  intact upload --verify-only --repair disk.raw https://host:54322/images/TICKET",
      "",
      "Sizes: bytes or 64K, 4M, 1G (binary). Exit status: 0 verified, 1 mismatch or failure,",
      "2 usage error."
    })
public final class UploadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TransferFlags flags;

  @Parameters(
      index = "0",
      paramLabel = "IMAGE",
      description = "The disk image: a file, a block device, a qcow2 (...), or an nbd:// URL.")
  String image;

  @Parameters(
      index = "1",
      paramLabel = "URL",
      description = "The daemon's image URL: https://HOST:54322/images/TICKET.")
  String url;

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
  String proxyUrl;

  @Override
  public Integer call() {
    flags.validate(spec, true);
    URI to = DaemonUrls.parse(spec, "URL", url);
    URI proxy = proxyUrl == null ? null : DaemonUrls.parse(spec, "--proxy-url", proxyUrl);
    List<URI> urls = TransferCommands.urls(to, proxy);
    return TransferCommands.run(
        spec,
        flags,
        "upload",
        TransferCommands.describe(to),
        urls,
        (c, p) -> {
          try (OpenedImage source = open()) {
            return c.upload(source, urls, flags.options(p, OptionalLong.of(source.size())));
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
