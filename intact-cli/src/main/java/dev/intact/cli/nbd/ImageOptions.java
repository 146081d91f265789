package dev.intact.cli.nbd;

import dev.intact.core.format.ImageOpener;
import dev.intact.core.format.OpenedImage;
import java.io.IOException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The image a command reads: a file, a device, an OVA member, or an NBD URI. */
public final class ImageOptions {
  @Parameters(
      index = "0",
      paramLabel = "IMAGE",
      description = {
        "A raw file or block device; a qcow2, vmdk or other qemu format (read through qemu-nbd);",
        "an OVA/tar archive with --member; or nbd://HOST[:PORT]/EXPORT,"
            + " nbd+unix:///EXPORT?socket=PATH."
      })
  String image;

  @Option(
      names = "--member",
      paramLabel = "NAME",
      description = "The disk inside an OVA/tar archive.")
  String member;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "Image format (qemu's name: raw, qcow2, vmdk...) instead of probing it.")
  String format;

  OpenedImage open() throws IOException {
    return ImageOpener.open(image, new ImageOpener.Options(member, format));
  }
}
