package dev.intact.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.intact.core.testing.ExternalTool;
import dev.intact.core.volume.Volume;
import dev.intact.core.volume.VolumeCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intact volume serve} as a real process under a real NBD client's writes (nbdcopy, several
 * connections): killed with SIGKILL at random moments, every reopen finds each block as one of the
 * contents ever written to it, with valid tags, and a copy nbdcopy finished (it flushes) complete;
 * stopped with SIGTERM, it exits 0 with everything checkpointed.
 */
class VolumeServeProcessTest {
  private static final ExternalTool NBDCOPY = ExternalTool.of("nbdcopy", "libnbd-bin");
  private static final int KILLS = Integer.getInteger("intact.volume.kills", 50);
  private static final int SIZE = 1 << 20;
  private static final int BS = 4096;
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void killNineUnderNbdcopyLoadLosesNoFlushedWriteAndLeavesNoBadTag() throws Exception {
    Path vol = dir.resolve("kill.vol");
    create(vol);
    List<byte[]> contents = new ArrayList<>();
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] b = new byte[SIZE];
      new SplittableRandom(i).nextBytes(b);
      contents.add(b);
      Path p = dir.resolve("src" + i);
      Files.write(p, b);
      sources.add(p);
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int kill = 0; kill < KILLS; kill++) {
      int which = kill % 3;
      Path socket = dir.resolve("k" + kill + ".sock");
      Process server = serve(vol, socket);
      Process copy =
          new ProcessBuilder(
                  NBDCOPY.require().toString(),
                  "--flush",
                  sources.get(which).toString(),
                  "nbd+unix:///?socket=" + socket)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("nbdcopy.log").toFile())
              .start();
      long threshold = random.nextLong(3L * SIZE);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      // The crash point: once the server has written a random number of bytes, or the copy ended.
      while (copy.isAlive() && written(server) < threshold) {
        if (System.nanoTime() > deadline) {
          fail("nbdcopy neither finished nor made the server write within " + DEADLINE);
        }
        copy.waitFor(1, TimeUnit.MILLISECONDS);
      }
      boolean acknowledged = !copy.isAlive() && copy.exitValue() == 0;
      server.destroyForcibly();
      assertTrue(server.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "server did not die");
      copy.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      Files.deleteIfExists(socket);
      verify(vol, contents, acknowledged ? contents.get(which) : null, kill);
    }
  }

  @Test
  void sigtermMakesEverythingDurableAndExitsZero() throws Exception {
    Path vol = dir.resolve("term.vol");
    create(vol);
    byte[] data = new byte[SIZE];
    new SplittableRandom(7).nextBytes(data);
    Path src = dir.resolve("src");
    Files.write(src, data);
    Path socket = dir.resolve("t.sock");
    Process server = serve(vol, socket);
    Tools.Result copy =
        Tools.run(NBDCOPY, dir, new byte[0], src.toString(), "nbd+unix:///?socket=" + socket);
    assertEquals(0, copy.exit(), copy.err());
    server.destroy(); // SIGTERM
    assertTrue(server.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "server did not stop");
    assertEquals(0, server.exitValue());
    try (Volume v = Volume.open(vol, false, null)) {
      assertEquals(0, v.openReport().transactions(), "journal not checkpointed at exit");
      byte[] got = new byte[SIZE];
      v.readFully(0, got, 0, SIZE);
      assertArrayEquals(data, got);
    }
  }

  @Test
  void offlineCheckAndRepairOfAServedVolumeAreRefusedNamingTheServerWhileInfoWorksOnIt()
      throws Exception {
    Path vol = dir.resolve("served.vol");
    create(vol);
    Path good = dir.resolve("good.raw");
    Files.write(good, new byte[SIZE]);
    Process server = serve(vol, dir.resolve("s.sock"));
    try {
      for (String[] args :
          List.of(
              new String[] {"volume", "check", vol.toString()},
              new String[] {"volume", "repair", vol.toString(), "--from", good.toString()})) {
        IntactRun.Result r = IntactRun.run(args);
        assertEquals(2, r.exit(), args[1] + ": " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains("in use by pid " + server.pid() + " (intact volume serve"), err);
      }
      // info is read-only: it reads the superblock without the lock and names the server.
      IntactRun.Result info = IntactRun.run("volume", "info", vol.toString());
      assertEquals(0, info.exit(), info.err());
      assertTrue(
          info.out().contains("blocks:       " + SIZE / BS + " of " + BS + " bytes"), info.out());
      assertTrue(
          info.out().contains("in use by:    pid " + server.pid() + " (intact volume serve"),
          info.out());
      IntactRun.Result json = IntactRun.run("volume", "info", vol.toString(), "--json");
      assertEquals(0, json.exit(), json.err());
      assertTrue(json.out().contains("\"in_use_by\":\"pid " + server.pid() + " "), json.out());
    } finally {
      server.destroy();
      assertTrue(server.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "server did not stop");
    }
    IntactRun.Result after = IntactRun.run("volume", "check", vol.toString());
    assertEquals(0, after.exit(), after.err());
  }

  private void create(Path vol) {
    IntactRun.Result r =
        IntactRun.run("volume", "create", vol.toString(), "--size", Integer.toString(SIZE));
    assertEquals(0, r.exit(), r.err());
  }

  private static void verify(Path vol, List<byte[]> contents, byte[] complete, int kill)
      throws IOException {
    try (Volume v = Volume.open(vol, true, null)) {
      byte[] block = new byte[BS];
      for (int b = 0; b < SIZE / BS; b++) {
        v.readFully((long) b * BS, block, 0, BS);
        if (complete != null) {
          assertTrue(
              Arrays.equals(block, 0, BS, complete, b * BS, (b + 1) * BS),
              "kill " + kill + ": block " + b + " lost after nbdcopy's flush was acknowledged");
          continue;
        }
        boolean known = Arrays.equals(block, new byte[BS]);
        for (byte[] c : contents) {
          known |= Arrays.equals(block, 0, BS, c, b * BS, (b + 1) * BS);
        }
        assertTrue(known, "kill " + kill + ": block " + b + " holds content never written");
      }
      assertTrue(VolumeCheck.check(v).clean(), "kill " + kill + ": check finds bad blocks");
    }
  }

  /** Bytes the process has written so far (/proc/PID/io wchar). */
  private static long written(Process p) throws IOException {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/io"))) {
        if (line.startsWith("wchar:")) {
          return Long.parseLong(line.substring(6).strip());
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return Long.MAX_VALUE; // it is gone already
    }
    throw new IOException("/proc/" + p.pid() + "/io has no wchar line");
  }

  /** Starts {@code intact volume serve} in a JVM of its own; returns once it listens. */
  private Process serve(Path vol, Path socket) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.intact.cli.Main",
                "volume",
                "serve",
                vol.toString(),
                "--socket",
                socket.toString())
            .redirectError(dir.resolve("server.err").toFile())
            .start();
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String uri = line.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      if (uri == null || !uri.startsWith("nbd")) {
        fail("volume serve did not start: " + Files.readString(dir.resolve("server.err")));
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      fail("volume serve did not print its URI within " + DEADLINE + ": " + e);
    }
    return p;
  }
}
