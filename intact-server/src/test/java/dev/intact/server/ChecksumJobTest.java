package dev.intact.server;

import static dev.intact.server.TicketApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.image.ForwardingWritableImage;
import dev.intact.core.image.WritableImage;
import dev.intact.server.image.StorageFactory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class ChecksumJobTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static JsonNode await(TestDaemon d, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<String> r = d.data("GET", path, null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode status = JSON.readTree(r.body());
      if (!status.get("execution_status").asText().equals("running")) {
        return status;
      }
      assertThat(System.nanoTime()).as("job did not finish in time").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }

  static String start(TestDaemon d, String base, String body) throws Exception {
    HttpResponse<String> r = d.data("POST", base, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).get("job_id").asText();
  }

  @Test
  void jobsComputeWholeStreamAndBlockHashListsOverRanges() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      byte[] content = new byte[300_000];
      new Random(11).nextBytes(content);
      Path f = d.root().resolve("a.raw");
      Files.write(f, content);
      String id = d.addTicket(f, content.length, true);

      String job =
          start(
              d,
              "images/" + id + "/checksum-jobs",
              "{\"start_offset\":0,\"end_offset\":0,\"checksum_algorithm\":\"sha256\",\"block_size\":null}");
      JsonNode s = await(d, "images/" + id + "/checksum-jobs/" + job);
      assertThat(s.get("execution_status").asText()).isEqualTo("finished");
      assertThat(s.get("checksum_algorithm").asText()).isEqualTo("sha256");
      assertThat(s.get("bytes_done").asLong()).isEqualTo(300_000);
      assertThat(s.get("bytes_total").asLong()).isEqualTo(300_000);
      assertThat(s.get("error_message").isNull()).isTrue();
      assertThat(s.get("checksum_value").asText())
          .isEqualTo(
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));

      // Coriolis's path, a sub-range.
      String ranged =
          start(
              d,
              "api/v2/device/" + id + "/checksumJob",
              "{\"start_offset\":1000,\"end_offset\":201000,\"checksum_algorithm\":\"md5\"}");
      JsonNode r = await(d, "api/v2/device/" + id + "/checksumJob/" + ranged);
      assertThat(r.get("checksum_value").asText())
          .isEqualTo(
              HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("MD5")
                          .digest(Arrays.copyOfRange(content, 1000, 201000))));

      assertThat(
              d.data("DELETE", "api/v2/device/" + id + "/checksumJob/" + ranged, null).statusCode())
          .isEqualTo(204);
      assertError(
          d.data("GET", "api/v2/device/" + id + "/checksumJob/" + ranged, null),
          404,
          "no checksum job");
    }
  }

  /** checksums.md: 32 KiB each of A..F, blkhash with sha256 and 64 KiB blocks. */
  @Test
  void blkhashVector() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      byte[] content = new byte[6 * 32768];
      for (int i = 0; i < 6; i++) {
        Arrays.fill(content, i * 32768, (i + 1) * 32768, (byte) ('A' + i));
      }
      Path f = d.root().resolve("v.raw");
      Files.write(f, content);
      String id = d.addTicket(f, content.length, false);
      String job =
          start(d, "images/" + id + "/checksum-jobs", "{\"checksum_algorithm\":\"blkhash\"}");
      JsonNode s = await(d, "images/" + id + "/checksum-jobs/" + job);
      assertThat(s.get("checksum_value").asText())
          .isEqualTo("4ab1586084326f5beb911621282e9557cd26856105eff7f78cace5986af4738b");
      assertThat(s.get("checksum_algorithm").asText()).isEqualTo("blkhash");
      assertThat(s.get("block_size").asInt()).isEqualTo(65536);
    }
  }

  @Test
  void badJobRequests() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      String id = d.addTicket(d.image("a.raw", 4096), 4096, false);
      String base = "images/" + id + "/checksum-jobs";
      assertError(
          d.data("POST", base, "{\"start_offset\":0,\"end_offset\":4097}"),
          416,
          "range [0, 4097) is outside the image (size 4096 bytes)");
      assertError(d.data("POST", base, "{\"start_offset\":10,\"end_offset\":5}"), 416, "outside");
      assertError(d.data("POST", base, "{\"start_offset\":-1}"), 400, "must not be negative");
      assertError(d.data("POST", base, "{\"checksum_algorithm\":\"rot13\"}"), 400, "rot13");
      assertError(
          d.data("POST", base, "{\"checksum_algorithm\":\"sha256\",\"block_size\":65536}"),
          400,
          "--block-size applies only to block-hash lists");
      assertError(d.data("POST", base, "{\"start_offset\":"), 400, "not valid JSON");
      assertError(d.data("POST", base, "{\"start_offset\":\"x\"}"), 400, "does not fit");
      assertError(d.data("GET", base, null), 405, "not allowed");
      assertError(
          d.data("POST", "images/" + "y".repeat(40) + "/checksum-jobs", "{}"),
          403,
          "no such ticket");
    }
  }

  /** Storage whose direct reads wait for a latch: jobs stay running until the test lets them go. */
  static final class GatedBackend extends ForwardingWritableImage {
    final CountDownLatch gate;

    GatedBackend(WritableImage inner, CountDownLatch gate) {
      super(inner);
      this.gate = gate;
    }

    /** Checksum jobs read the storage through the direct view, so through here. */
    @Override
    public void readDirect(long p, byte[] d, int o, int l) throws IOException {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IOException("gate never opened");
        }
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException("cancelled");
      }
      delegate().readDirect(p, d, o, l);
    }
  }

  @Test
  void jobsAreBoundedAndCancellable() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    StorageFactory gated =
        (p, dev, w) -> new GatedBackend(StorageFactory.STORAGE.open(p, dev, w), gate);
    try (TestDaemon d = TestDaemon.start(dir, gated, c -> c.withLimits(8, 8, 3, 2))) {
      String id = d.addTicket(d.image("a.raw", 8192), 8192, false);
      String base = "images/" + id + "/checksum-jobs";
      String first = start(d, base, "{}");
      start(d, base, "{}");
      start(d, base, "{}");
      assertError(d.data("POST", base, "{}"), 409, "too many checksum jobs running (limit 3)");
      assertThat(d.data("GET", base + "/" + first, null).body())
          .contains("\"execution_status\":\"running\"");

      // Cancelling frees a slot.
      assertThat(d.data("DELETE", base + "/" + first, null).statusCode()).isEqualTo(204);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (d.server().unfinishedJobs() > 2 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      }
      assertThat(d.server().unfinishedJobs()).isEqualTo(2);
      String fourth = start(d, base, "{}");
      gate.countDown();
      assertThat(await(d, base + "/" + fourth).get("execution_status").asText())
          .isEqualTo("finished");

      // Removing the ticket cancels and forgets its jobs.
      assertThat(d.control("DELETE", id, null).statusCode()).isEqualTo(204);
      assertError(d.data("GET", base + "/" + fourth, null), 403, "ticket");
    }
  }
}
