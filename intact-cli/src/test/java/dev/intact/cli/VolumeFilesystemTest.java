package dev.intact.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.intact.core.nbd.server.NbdExport;
import dev.intact.core.nbd.server.NbdServer;
import dev.intact.core.nbd.server.ServerLimits;
import dev.intact.core.testing.ExternalTool;
import dev.intact.core.volume.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ext4 file system on a served volume: nbdfuse exposes the export as a file, a loop device
 * makes it a disk, mkfs.ext4 and mount put files on it; e2fsck finds it clean and the files read
 * back. Then one byte of one file's data is changed in the backing store: reading that file fails
 * with EIO, every other file reads fine. (Runs as root, as CI does: loop devices and /dev/fuse.)
 */
class VolumeFilesystemTest {
  private static final ExternalTool NBDFUSE = ExternalTool.of("nbdfuse", "libnbd-bin");
  private static final ExternalTool LOSETUP = ExternalTool.of("losetup", "mount");
  private static final ExternalTool MKFS = ExternalTool.of("mkfs.ext4", "e2fsprogs");
  private static final ExternalTool E2FSCK = ExternalTool.of("e2fsck", "e2fsprogs");
  private static final ExternalTool MOUNT = ExternalTool.of("mount", "mount");
  private static final ExternalTool UMOUNT = ExternalTool.of("umount", "mount");
  private static final byte[] MARKER = "VICTIM-FILE-DATA".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  @Test
  void ext4OnAVolumeChecksCleanAndACorruptedFileFailsWithEioAlone() throws Exception {
    Path vol = dir.resolve("fs.vol");
    IntactRun.Result created = IntactRun.run("volume", "create", vol.toString(), "--size", "64M");
    assertEquals(0, created.exit(), created.err());
    Map<String, byte[]> files = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 8; i++) {
      byte[] b = new byte[1 + random.nextInt(300_000)];
      random.nextBytes(b);
      files.put("dir" + (i % 3) + "/file" + i, b);
    }
    byte[] victim = new byte[64 << 10];
    for (int i = 0; i < victim.length; i++) {
      victim[i] = MARKER[i % MARKER.length];
    }
    files.put("victim.bin", victim);

    try (Disk disk = attach(vol, false)) {
      run(MKFS, "-q", "-F", disk.loop());
      Path mnt = mount(disk.loop(), false);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Path p = mnt.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, f.getValue());
      }
      run(UMOUNT, mnt.toString());
      run(E2FSCK, "-fn", disk.loop());
      mnt = mount(disk.loop(), false);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        assertArrayEquals(f.getValue(), Files.readAllBytes(mnt.resolve(f.getKey())), f.getKey());
      }
      run(UMOUNT, mnt.toString());
    }

    byte[] store = Files.readAllBytes(vol);
    int at = indexOf(store, MARKER);
    assertTrue(at >= 0, "the victim's data is not in the backing file");
    store[at + 5] ^= 1;
    Files.write(vol, store);

    try (Disk disk = attach(vol, true)) {
      Path mnt = mount(disk.loop(), true);
      try {
        IOException e =
            assertThrows(IOException.class, () -> Files.readAllBytes(mnt.resolve("victim.bin")));
        assertTrue(
            String.valueOf(e.getMessage()).contains("Input/output error"), String.valueOf(e));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          if (!f.getKey().equals("victim.bin")) {
            assertArrayEquals(
                f.getValue(), Files.readAllBytes(mnt.resolve(f.getKey())), f.getKey());
          }
        }
      } finally {
        run(UMOUNT, mnt.toString());
      }
    }
  }

  /** The volume served in process, exposed by nbdfuse, attached to a loop device. */
  private record Disk(NbdServer server, Volume volume, Process fuse, Path fuseDir, String loop)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        run(LOSETUP, "-d", loop);
        run(UMOUNT, fuseDir.toString());
        fuse.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for nbdfuse to exit", e);
      } finally {
        server.close();
        volume.close();
      }
    }
  }

  private Disk attach(Path vol, boolean readOnly) throws IOException, InterruptedException {
    Volume v = Volume.open(vol, !readOnly, null);
    Path socket = dir.resolve("fs-" + System.nanoTime() + ".sock");
    NbdServer server =
        NbdServer.onUnixSocket(
            socket,
            List.of(readOnly ? NbdExport.readOnly("", v) : NbdExport.readWrite("", v)),
            ServerLimits.defaults());
    Path fuseDir = Files.createDirectories(dir.resolve("fuse-" + System.nanoTime()));
    List<String> cmd = new ArrayList<>(List.of(NBDFUSE.require().toString()));
    if (readOnly) {
      cmd.add("-r");
    }
    cmd.add(fuseDir.resolve("disk").toString());
    cmd.add("nbd+unix:///?socket=" + socket);
    Process fuse =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nbdfuse.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(fuseDir.resolve("disk"))) {
      if (!fuse.isAlive() || System.nanoTime() > deadline) {
        server.close();
        v.close();
        fail("nbdfuse did not expose the export: " + Files.readString(dir.resolve("nbdfuse.log")));
      }
      fuse.waitFor(10, TimeUnit.MILLISECONDS);
    }
    List<String> lo = new ArrayList<>(List.of("-f", "--show"));
    if (readOnly) {
      lo.add("-r");
    }
    lo.add(fuseDir.resolve("disk").toString());
    String loop = run(LOSETUP, lo.toArray(String[]::new)).strip();
    return new Disk(server, v, fuse, fuseDir, loop);
  }

  private Path mount(String loop, boolean readOnly) throws IOException {
    Path mnt = Files.createDirectories(dir.resolve("mnt"));
    if (readOnly) {
      run(MOUNT, "-o", "ro,noload", loop, mnt.toString());
    } else {
      run(MOUNT, loop, mnt.toString());
    }
    return mnt;
  }

  private static String run(ExternalTool tool, String... args) {
    Tools.Result r = Tools.run(tool, Path.of("/"), new byte[0], args);
    if (r.exit() != 0) {
      fail(tool.command() + " " + String.join(" ", args) + " exited " + r.exit() + ": " + r.err());
    }
    return r.out();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
