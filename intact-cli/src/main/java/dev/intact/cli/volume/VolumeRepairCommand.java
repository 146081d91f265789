package dev.intact.cli.volume;

import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.volume.BadRange;
import dev.intact.core.volume.Volume;
import dev.intact.core.volume.VolumeFormatException;
import dev.intact.core.volume.VolumeInUseException;
import dev.intact.core.volume.VolumeRepair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact volume repair}: rewrite the failing blocks from a good copy. */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = {
      "Rewrite only the blocks whose tags fail, from a good copy (a raw image or another",
      "volume), make them durable and verify them again. Exit 0 when all are repaired.",
      ""
    })
public final class VolumeRepairCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The volume (not being served).")
  Path path;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "SOURCE",
      description = "A good copy: a raw image or device, or another volume.")
  Path from;

  @Mixin KeyFile key = new KeyFile();

  @Override
  public Integer call() throws Exception {
    byte[] secret = key.read();
    Volume volume;
    try {
      volume = Volume.open(path, true, secret);
    } catch (VolumeInUseException | VolumeFormatException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("intact: " + e.getMessage());
      err.flush();
      return 2;
    }
    try (Volume v = volume;
        Image source = openSource(from, secret)) {
      VolumeRepair.Result r = VolumeRepair.repair(v, source);
      PrintWriter out = spec.commandLine().getOut();
      for (BadRange b : r.before().bad()) {
        out.println("rewrote blocks " + b.first() + "-" + b.last() + " bytes " + b.bytes());
      }
      for (BadRange b : r.after()) {
        out.println("still bad: blocks " + b.first() + "-" + b.last() + " bytes " + b.bytes());
      }
      out.println(
          path
              + ": "
              + r.before().badBlocks()
              + " bad blocks, "
              + (r.after().isEmpty() ? "all repaired and verified" : "not all repaired"));
      return r.after().isEmpty() ? 0 : 1;
    }
  }

  /** Another volume is read through its tags; anything else is a raw image. */
  private static Image openSource(Path from, byte[] key) throws java.io.IOException {
    try {
      return Volume.open(from, false, key);
    } catch (VolumeFormatException e) {
      if (!e.getMessage().contains("not an Intact volume")) {
        throw e;
      }
      return LocalImage.openRead(from);
    }
  }
}
