package dev.intact.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.image.Extent;
import dev.intact.core.image.ForwardingWritableImage;
import dev.intact.core.posix.ThreadPriority;
import dev.intact.server.TestDaemon;
import dev.intact.server.image.StorageFactory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the daemon hashes its storage (checksum jobs, block digests, imageio's {@code
 * /checksum}) reads it from a platform thread at nice {@link Hashing#NICE}, never from the virtual
 * thread of a request, whose carrier other requests need.
 */
class HashingPriorityTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The thread a read of the storage came from. */
  record Reader(String name, boolean virtual, int nice) {}

  static final List<Reader> readers = new CopyOnWriteArrayList<>();

  /** Storage that notes which thread asks for its extents and reads its bytes. */
  static final StorageFactory RECORDING =
      (path, blockDevice, writable) ->
          new ForwardingWritableImage(StorageFactory.STORAGE.open(path, blockDevice, writable)) {
            @Override
            public Extent extentAt(long position, long end) throws IOException {
              note();
              return super.extentAt(position, end);
            }

            @Override
            public void readFully(long position, byte[] dst, int offset, int length)
                throws IOException {
              note();
              super.readFully(position, dst, offset, length);
            }

            private void note() throws IOException {
              Thread t = Thread.currentThread();
              readers.add(
                  new Reader(
                      t.getName(), t.isVirtual(), t.isVirtual() ? 0 : ThreadPriority.nice()));
            }
          };

  @TempDir static Path dir;
  static TestDaemon daemon;
  static String ticket;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start(dir.resolve("d"), RECORDING, c -> c);
    byte[] content = new byte[3 << 20];
    new Random(7).nextBytes(content);
    Path image = Files.write(daemon.root().resolve("a.raw"), content);
    ticket = daemon.addTicket(image, content.length, false);
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  @BeforeEach
  void forget() {
    readers.clear();
  }

  static void assertHashedInTheBackground() throws Exception {
    assertThat(readers).as("reads of the storage").isNotEmpty();
    int nice = Math.max(Hashing.NICE, ThreadPriority.nice());
    assertThat(readers).allSatisfy(r -> assertThat(r).isEqualTo(new Reader(r.name(), false, nice)));
  }

  @Test
  void aChecksumJobHashesOnAPlatformThreadAtLowPriority() throws Exception {
    HttpResponse<String> started =
        daemon.data(
            "POST",
            "images/" + ticket + "/checksum-jobs",
            "{\"start_offset\":0,\"end_offset\":0,\"checksum_algorithm\":\"blkhash\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String job = JSON.readTree(started.body()).get("job_id").asText();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode status;
    do {
      assertThat(System.nanoTime()).as("the job finished within 30 s").isLessThan(deadline);
      LockSupport.parkNanos(5_000_000);
      status =
          JSON.readTree(
              daemon.data("GET", "images/" + ticket + "/checksum-jobs/" + job, null).body());
    } while (status.get("execution_status").asText().equals("running"));
    assertThat(status.get("execution_status").asText()).as(status.toString()).isEqualTo("finished");

    assertHashedInTheBackground();
  }

  @Test
  void blockDigestsAreHashedOnAPlatformThreadAtLowPriority() throws Exception {
    HttpResponse<String> r =
        daemon.data("GET", "images/" + ticket + "/block-digests?algorithm=sha256", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    assertHashedInTheBackground();
  }

  @Test
  void imageiosChecksumIsHashedOnAPlatformThreadAtLowPriority() throws Exception {
    HttpResponse<String> r = daemon.data("GET", "images/" + ticket + "/checksum", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    assertHashedInTheBackground();
  }
}
