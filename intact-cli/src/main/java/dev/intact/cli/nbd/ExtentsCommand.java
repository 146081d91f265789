package dev.intact.cli.nbd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.intact.core.format.OpenedImage;
import dev.intact.core.nbd.wire.Allocation;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code intact extents}: the zero/hole map, as ovirt-imageio's {@code client.extents} (and {@code
 * qemu-img map}: {@code hole} is not allocated, {@code zero} reads as zeros).
 */
@Command(
    name = "extents",
    mixinStandardHelpOptions = true,
    description = {
      "Print an image's allocation map: runs of data, zeros and holes.",
      "Text: START LENGTH KIND (data, zero, or hole); --json: imageio's extents list.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {"  intact extents disk.qcow2", "  intact extents --json disk.raw"})
public final class ExtentsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ImageOptions image = new ImageOptions();

  @Option(names = "--json", description = "Print a JSON list of {start, length, zero, hole}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (OpenedImage img = image.open()) {
      List<Allocation> map = img.allocation(0, img.size());
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode list = mapper.createArrayNode();
        for (Allocation a : map) {
          list.addObject()
              .put("start", a.start())
              .put("length", a.length())
              .put("zero", a.zero())
              .put("hole", a.hole());
        }
        out.println(list);
      } else {
        for (Allocation a : map) {
          String kind = a.hole() ? "hole" : a.zero() ? "zero" : "data";
          out.printf("%d %d %s%n", a.start(), a.length(), kind);
        }
      }
    }
    out.flush();
    return 0;
  }
}
