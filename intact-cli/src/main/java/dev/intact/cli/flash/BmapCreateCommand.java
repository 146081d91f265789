package dev.intact.cli.flash;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapWriter;
import dev.intact.core.flash.BmapCreator;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact bmap create}: the bmap of a sparse image, as bmaptool writes it. */
@Command(
    name = "create",
    header = "Write the bmap of a sparse image, as bmaptool create does.",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Write the bmap (format 2.0) of IMAGE: its data blocks, found with SEEK_DATA/SEEK_HOLE at",
      "4 KiB granularity, with a checksum per range. The file is what bmaptool create writes for",
      "the same image.",
      ""
    })
public final class BmapCreateCommand implements Callable<Integer> {

  /** The range checksum types offered (bmaptool's default is sha256). */
  enum ChecksumChoice {
    sha256,
    sha1,
    md5,
    none
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A sparse image file.")
  Path image;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the bmap to FILE (default: standard output).")
  Path output;

  @Option(
      names = {"-c", "--checksum-type"},
      paramLabel = "TYPE",
      defaultValue = "sha256",
      description = "Range checksum: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ChecksumChoice checksum;

  @Option(names = "--no-checksum", description = "Same as --checksum-type none (bmaptool's).")
  boolean noChecksum;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ChecksumChoice choice = noChecksum ? ChecksumChoice.none : checksum;
    Bmap bmap;
    try (LocalImage img = LocalImage.openRead(image)) {
      bmap =
          BmapCreator.create(
              img, choice == ChecksumChoice.none ? null : Algorithms.byName(choice.name()));
      if (output != null) {
        BmapWriter.write(bmap, output);
      } else {
        PrintWriter out = spec.commandLine().getOut();
        out.print(new String(BmapWriter.toBytes(bmap), StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      err.println("intact: " + e.getMessage());
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    }
    return CommandLine.ExitCode.OK;
  }
}
