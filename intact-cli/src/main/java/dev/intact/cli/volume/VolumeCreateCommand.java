package dev.intact.cli.volume;

import dev.intact.core.format.ImageOpener;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.volume.TagAlgorithm;
import dev.intact.core.volume.Volume;
import dev.intact.core.volume.VolumeImport;
import dev.intact.core.volume.VolumeOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact volume create}: a new volume whose blocks all read as zeros. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {"Create a volume (a new file, or a device with --force).", ""},
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact volume create disk.vol --size 10G",
      "  intact volume create disk.vol --from disk.raw",
      "  intact volume create disk.vol --from disk.qcow2",
      "  intact volume create disk.vol --from appliance.ova --member disk1.vmdk",
      "  intact volume create disk.vol --size 1G --block-size 512 --tag sha256",
      "  intact volume create disk.vol --size 100G --spare 4G",
      "  intact volume create disk.vol --size 1G --tag hmac-sha256 --key-file secret.key"
    })
public final class VolumeCreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The volume file or device.")
  Path path;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      converter = Sizes.class,
      description = "Logical size (a multiple of the block size): 10G, 512M; default: --from's.")
  long size;

  @Option(
      names = "--from",
      paramLabel = "IMAGE",
      description =
          "Import any image Intact reads: raw, a device, qcow2/vmdk/... (through qemu-nbd), an"
              + " OVA member (--member), an nbd:// URL. Its holes stay unwritten.")
  String from;

  @Option(
      names = "--member",
      paramLabel = "NAME",
      description = "With --from an OVA/tar archive: import its member NAME.")
  String member;

  @Option(
      names = "--format",
      paramLabel = "FMT",
      description = "With --from: the image's format (raw, qcow2, ... as qemu names them).")
  String format;

  @Option(
      names = "--block-size",
      paramLabel = "SIZE",
      converter = Sizes.class,
      description = "Block size, a power of two from 512 to 64K (default 4K).")
  long blockSize = 4096;

  @Option(
      names = "--tag",
      paramLabel = "ALG",
      description = "crc32c (default), xxh3-64, sha256, blake2b-256, hmac-sha256.")
  String tag = "crc32c";

  @Option(
      names = "--journal-size",
      paramLabel = "SIZE",
      converter = Sizes.class,
      description = "Journal length (default: an eighth of the size, 1M to 64M).")
  long journal;

  @Option(
      names = "--spare",
      paramLabel = "SIZE",
      converter = Sizes.class,
      description =
          "Spare space for whole-chunk (1M) overwrites, which are written once to a spare chunk"
              + " (default: a sixteenth of the size, 16M to 1G, at most the size; 0: every"
              + " overwrite goes through the journal).")
  Long spare;

  @Option(
      names = "--force",
      description = "Overwrite an existing volume or a device that is not empty.")
  boolean force;

  @Mixin KeyFile key = new KeyFile();

  @Override
  public Integer call() throws Exception {
    Image source = null;
    if (from != null) {
      try {
        source = ImageOpener.open(from, new ImageOpener.Options(member, format));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
    } else if (member != null || format != null) {
      throw new ParameterException(spec.commandLine(), "--member and --format apply to --from");
    }
    try {
      return create(source);
    } finally {
      if (source != null) {
        source.close();
      }
    }
  }

  private int create(Image source) throws Exception {
    if (size == 0 && source != null) {
      size = (source.size() + blockSize - 1) / blockSize * blockSize;
    }
    if (size == 0) {
      throw new ParameterException(spec.commandLine(), "give --size, or --from an image");
    }
    TagAlgorithm algorithm;
    VolumeOptions options;
    try {
      algorithm = TagAlgorithm.byName(tag);
      if (blockSize > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("block size " + blockSize + " is too large");
      }
      options =
          VolumeOptions.of(size)
              .withBlockSize((int) blockSize)
              .withTags(algorithm, key.read())
              .withJournal(journal)
              .withSpare(spare == null ? -1 : spare);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Volume volume;
    if (Files.exists(path) && !force) {
      throw new ParameterException(
          spec.commandLine(), path + " exists; add --force to overwrite it");
    }
    if (Files.exists(path)) {
      LocalImage store = LocalImage.openWrite(path);
      try {
        if (!store.isBlockDevice()) {
          store.close();
          Files.delete(path);
          volume = Volume.create(path, options);
        } else {
          volume = Volume.create(store, path.toString(), options);
        }
      } catch (Exception e) {
        store.close();
        throw e;
      }
    } else {
      volume = Volume.create(path, options);
    }
    try (volume) {
      long imported = source == null ? 0 : VolumeImport.copy(source, volume);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          path
              + ": volume "
              + volume.superblock().uuidString()
              + ", "
              + volume.size()
              + " bytes in "
              + volume.geometry().blocks()
              + " blocks of "
              + volume.geometry().blockSize()
              + ", "
              + algorithm.tagName()
              + " tags"
              + (source == null ? "" : ", " + imported + " bytes of data from " + from));
    }
    return 0;
  }
}
