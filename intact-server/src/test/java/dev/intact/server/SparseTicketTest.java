package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.ticket.TicketId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ticket's {@code sparse} flag: a zero request punches a hole unless the ticket says {@code
 * "sparse": false}, in which case the range stays allocated (checked with coreutils {@code stat}).
 */
class SparseTicketTest {
  static final int SIZE = 4 << 20;

  @TempDir static Path dir;
  static TestDaemon daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  /** A fully allocated image of random bytes and a write ticket with {@code extra} fields. */
  static String ticket(String name, String extra) throws Exception {
    byte[] data = new byte[SIZE];
    new Random(name.hashCode()).nextBytes(data);
    Path p = Files.write(daemon.root().resolve(name), data);
    String id = TicketId.random();
    String body =
        "{\"uuid\":\""
            + id
            + "\",\"url\":\""
            + p.toUri()
            + "\",\"size\":"
            + SIZE
            + ",\"ops\":[\"read\",\"write\"]"
            + extra
            + "}";
    assertThat(daemon.control("PUT", id, body).statusCode()).isEqualTo(200);
    return id;
  }

  static void zeroAll(String id) throws Exception {
    var r =
        daemon.data(
            "PATCH",
            "images/" + id,
            "{\"op\":\"zero\",\"offset\":0,\"size\":" + SIZE + ",\"flush\":true}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** Allocated bytes of {@code name} as {@code stat} reports them (512-byte blocks). */
  static long allocated(String name) throws Exception {
    Process p =
        new ProcessBuilder("stat", "-c", "%b", daemon.root().resolve(name).toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("stat %s", name).isZero();
    return Long.parseLong(out) * 512;
  }

  static void assertAllZero(String name) throws Exception {
    assertThat(Files.readAllBytes(daemon.root().resolve(name))).isEqualTo(new byte[SIZE]);
  }

  @Test
  void sparseFalseKeepsZeroedRangesAllocated() throws Exception {
    String id = ticket("dense.raw", ",\"sparse\":false");
    zeroAll(id);
    assertAllZero("dense.raw");
    assertThat(allocated("dense.raw")).isGreaterThanOrEqualTo(SIZE);
  }

  @Test
  void sparseTrueAndTheDefaultPunchHoles() throws Exception {
    zeroAll(ticket("sparse.raw", ",\"sparse\":true"));
    zeroAll(ticket("default.raw", ""));
    for (String name : new String[] {"sparse.raw", "default.raw"}) {
      assertAllZero(name);
      assertThat(allocated(name)).as(name).isLessThan(SIZE / 4);
    }
  }
}
