package dev.intact.cli.nbd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intact.core.archive.TarIndex;
import dev.intact.core.archive.TarMember;
import dev.intact.core.format.OpenedImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code intact info}: format and virtual size, as ovirt-imageio's {@code client.info}. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Print an image's format and virtual (guest-visible) size.",
      "Formats other than raw are read through a private qemu-nbd, stopped on exit.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact info disk.qcow2",
      "  intact info --json appliance.ova --member disk1.vmdk",
      "  intact info nbd+unix:///?socket=/run/nbd.sock"
    })
public final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ImageOptions image = new ImageOptions();

  @Option(names = "--json", description = "Print a JSON object: format, virtual-size.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (OpenedImage img = image.open()) {
      long size = img.size();
      if (json) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("image", img.source());
        o.put("format", img.format());
        o.put("virtual-size", size);
        if (img.delegate() instanceof NbdImage nbd && img.format().equals("nbd")) {
          o.put("read-only", nbd.client().info().readOnly());
        }
        out.println(o);
      } else {
        out.println("image: " + img.source());
        out.println("format: " + img.format());
        out.println("virtual-size: " + size + " (" + human(size) + ")");
        if (img.delegate() instanceof NbdImage nbd && img.format().equals("nbd")) {
          out.println("read-only: " + nbd.client().info().readOnly());
        }
        if (image.member == null && isArchive(image.image)) {
          List<String> names =
              TarIndex.members(Path.of(image.image)).stream().map(TarMember::name).toList();
          out.println(
              "archive members: " + String.join(", ", names) + " (choose one with --member NAME)");
        }
      }
    }
    out.flush();
    return 0;
  }

  private static boolean isArchive(String spec) throws java.io.IOException {
    if (NbdUri.isNbdUri(spec)) {
      return false;
    }
    Path p = Path.of(spec);
    return Files.isRegularFile(p) && TarIndex.isTar(p);
  }

  static String human(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
