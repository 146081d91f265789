package dev.intact.core.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.nbd.wire.Allocation;
import dev.intact.core.testing.ServerProcess;
import dev.intact.core.testing.Tools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NbdImage#allocation} as ovirt-imageio reports an NBD export's extents: zero from
 * base:allocation, hole only where qemu:allocation-depth is 0. The export is a qcow2 top layer
 * served without its backing file by the real qemu-nbd, whose two contexts cut the layer at
 * different places (nbdinfo shows both).
 */
@SuppressWarnings("try") // ServerProcess.close() waits, so it may throw InterruptedException
class NbdImageAllocationTest {
  static final int K64 = 64 << 10;
  static final int MIB = 1 << 20;

  @TempDir Path dir;

  /** A 1 MiB layer: 64 KiB of its own data, a 64 KiB zero cluster of its own, then nothing. */
  Path layer() throws Exception {
    Path base = dir.resolve("base.qcow2");
    Path top = dir.resolve("top.qcow2");
    Tools.run(Tools.qemuImg(), "create", "-q", "-f", "qcow2", base.toString(), "1M");
    Tools.run(Tools.qemuIo(), "-f", "qcow2", "-c", "write -P 0xab 0 1M", base.toString());
    Tools.run(
        Tools.qemuImg(),
        "create",
        "-q",
        "-f",
        "qcow2",
        "-F",
        "qcow2",
        "-b",
        base.toString(),
        top.toString(),
        "1M");
    Tools.run(
        Tools.qemuIo(),
        "-f",
        "qcow2",
        "-c",
        "write -P 0xcd 0 64k",
        "-c",
        "write -z 64k 64k",
        top.toString());
    return top;
  }

  static String withoutBacking(Path top) {
    return "json:{\"driver\":\"qcow2\",\"backing\":null,\"file\":{\"driver\":\"file\",\"filename\":\""
        + top
        + "\"}}";
  }

  @Test
  void aLayersOwnZeroClusterIsZeroAndOnlyWhatItLacksIsAHole() throws Exception {
    Path top = layer();
    try (ServerProcess q =
            ServerProcess.qemuNbd(
                dir, "--allocation-depth", "--read-only", "--format=qcow2", withoutBacking(top));
        NbdImage image = NbdImage.open(q.uri())) {
      String url = "nbd+unix:///?socket=" + q.socket;
      assertThat(Tools.run(Tools.nbdinfo(), "--map", url))
          .containsPattern("65536\\s+983040\\s+3\\s+hole,zero");
      assertThat(Tools.run(Tools.nbdinfo(), "--map=qemu:allocation-depth", url))
          .containsPattern("131072\\s+917504\\s+0\\s+absent");
      assertThat(image.allocation(0, MIB))
          .containsExactly(
              new Allocation(0, K64, false, false),
              new Allocation(K64, K64, true, false),
              new Allocation(2 * K64, MIB - 2 * K64, true, true));
      // A window cut inside each run, as a ranged /extents asks.
      assertThat(image.allocation(1000, 2 * K64 + 5))
          .containsExactly(
              new Allocation(1000, K64 - 1000, false, false),
              new Allocation(K64, K64, true, false),
              new Allocation(2 * K64, 5, true, true));
      assertThat(image.allocation(7, 7)).isEmpty();
    }
  }

  @Test
  void withoutAllocationDepthNothingIsAHoleAsImageioSays() throws Exception {
    Path top = layer();
    try (ServerProcess q =
            ServerProcess.qemuNbd(dir, "--read-only", "--format=qcow2", withoutBacking(top));
        NbdImage image = NbdImage.open(q.uri())) {
      assertThat(image.allocation(0, MIB))
          .containsExactly(
              new Allocation(0, K64, false, false), new Allocation(K64, MIB - K64, true, false));
    }
  }

  @Test
  void withoutBaseAllocationAllIsData() throws Exception {
    try (ServerProcess kit = ServerProcess.nbdkit(dir, "memory", "size=1M");
        NbdClient c =
            NbdClient.connect(kit.uri(), NbdClient.Options.defaults().withMetaContexts(List.of()));
        NbdImage image = NbdImage.of(c, "memory", null)) {
      assertThat(image.allocation(0, MIB)).containsExactly(new Allocation(0, MIB, false, false));
    }
  }
}
