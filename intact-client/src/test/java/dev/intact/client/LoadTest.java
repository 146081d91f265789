package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.image.ByteRange;
import dev.intact.server.TestDaemon;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10 concurrent verified uploads and 50 concurrent checksum jobs against one daemon: no errors, and
 * the process's file descriptors and platform threads return to where they were. The default run
 * uses 16 MiB images; {@code -Dintact.loadMiB=256} is the full-size run.
 */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class LoadTest {
  static final int MIB = Integer.getInteger("intact.loadMiB", 16);
  @TempDir Path dir;

  static int openFds() {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return (int) s.count();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The platform threads this process started and has not ended, by name. Workers of the JDK's
   * fork-join pools (virtual-thread carriers, the common pool) are left out: the JDK adds carriers
   * while virtual threads block in file I/O and retires them on its own keep-alive (30 s for
   * carriers, 60 s for the common pool); they are the JDK's, not threads Intact could leak.
   */
  static List<String> threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> !n.startsWith("ForkJoinPool"))
        .sorted()
        .toList();
  }

  static void settles(String what, IntSupplier now, int baseline) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (now.getAsInt() > baseline) {
      assertThat(System.nanoTime())
          .as(what + " back to " + baseline + ", now " + now.getAsInt())
          .isLessThan(deadline);
      System.gc();
      LockSupport.parkNanos(50_000_000);
    }
  }

  static void threadsSettle(String what, List<String> baseline) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (threads().size() > baseline.size()) {
      List<String> extra = new ArrayList<>(threads());
      baseline.forEach(extra::remove);
      assertThat(System.nanoTime())
          .as(what + ": " + baseline.size() + " threads before, still running: " + extra)
          .isLessThan(deadline);
      LockSupport.parkNanos(50_000_000);
    }
  }

  @Test
  void tenTransfersAndFiftyChecksumJobsAtOnce() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      long size = (long) MIB << 20;
      byte[] chunk = new byte[1 << 20];
      Path src = dir.resolve("src.raw");
      Random random = new Random(5);
      try (var out = Files.newOutputStream(src)) {
        for (int i = 0; i < MIB; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
      var tls = TestDaemon.trusting(d.server().certificate());
      // Warm up once, so lazily started pools count in the baseline.
      try (TransferClient c = new TransferClient(tls)) {
        Path warm = d.image("warm.raw", size);
        c.upload(
            src, List.of(d.imageUri(d.addTicket(warm, size, true))), TransferOptions.defaults());
      }
      int fds = openFds();
      List<String> threads = threads();

      List<URI> uploads = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        uploads.add(d.imageUri(d.addTicket(d.image("up" + i + ".raw", size), size, true)));
      }
      List<URI> sources = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Path p = Files.copy(src, d.root().resolve("job" + i + ".raw"));
        sources.add(d.imageUri(d.addTicket(p, size, false)));
      }
      List<Checksum> results = new ArrayList<>();
      HttpClient http = TransferHttp.start(tls);
      try (TransferClient client = new TransferClient(tls);
          ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Checksum>> futures = new ArrayList<>();
        for (URI u : uploads) {
          futures.add(
              pool.submit(
                  () -> client.upload(src, List.of(u), TransferOptions.defaults()).checksum()));
        }
        for (int j = 0; j < 50; j++) {
          URI u = sources.get(j % sources.size());
          futures.add(
              pool.submit(
                  () ->
                      ImageClient.connect(http, List.of(u))
                          .checksum(
                              ExpectedChecksum.parse(
                                      "blkhash:" + "0".repeat(64), java.util.OptionalLong.empty())
                                  .type(),
                              ByteRange.whole(size))));
        }
        for (Future<Checksum> f : futures) {
          results.add(f.get());
        }
      } finally {
        TransferHttp.stop(http);
      }
      assertThat(results).hasSize(60);
      assertThat(results.stream().map(Checksum::value).distinct()).hasSize(1);
      for (int i = 0; i < 10; i++) {
        assertThat(Files.mismatch(src, d.root().resolve("up" + i + ".raw"))).isEqualTo(-1);
      }
      assertThat(d.server().unfinishedJobs()).isZero();
      for (URI u : uploads) {
        d.control("DELETE", u.getPath().substring(u.getPath().lastIndexOf('/') + 1), null);
      }
      for (URI u : sources) {
        d.control("DELETE", u.getPath().substring(u.getPath().lastIndexOf('/') + 1), null);
      }
      settles("open file descriptors", LoadTest::openFds, fds);
      threadsSettle("platform threads", threads);
    }
  }
}
