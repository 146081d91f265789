package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.ticket.TicketId;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketApiTest {
  @TempDir Path dir;
  TestDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = TestDaemon.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private String ticketJson(String id, String url, long size, String ops) {
    return "{\"uuid\":\""
        + id
        + "\",\"url\":\""
        + url
        + "\",\"size\":"
        + size
        + ",\"ops\":"
        + ops
        + ",\"timeout\":300}";
  }

  @Test
  void addShowExtendRemove() throws Exception {
    Path img = daemon.image("a.raw", 8192);
    String id = TicketId.random();
    assertThat(
            daemon
                .control("PUT", id, ticketJson(id, img.toUri().toString(), 8192, "[\"read\"]"))
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> shown = daemon.control("GET", id, null);
    assertThat(shown.statusCode()).isEqualTo(200);
    assertThat(shown.body())
        .contains(
            "\"uuid\":\"" + id + "\"",
            "\"size\":8192",
            "\"active\":true",
            "\"connections\":0",
            "\"transferred\":0",
            "\"expires\"",
            "\"idle_time\"");

    long before = Long.parseLong(shown.body().replaceAll(".*\"expires\":(\\d+).*", "$1"));
    assertThat(daemon.control("PATCH", id, "{\"timeout\":3600}").statusCode()).isEqualTo(200);
    long after =
        Long.parseLong(
            daemon.control("GET", id, null).body().replaceAll(".*\"expires\":(\\d+).*", "$1"));
    assertThat(after).isGreaterThan(before + 3000);

    assertThat(daemon.control("DELETE", id, null).statusCode()).isEqualTo(204);
    assertThat(daemon.control("DELETE", id, null).statusCode()).isEqualTo(204);
    HttpResponse<String> gone = daemon.control("GET", id, null);
    assertThat(gone.statusCode()).isEqualTo(403);
    assertThat(gone.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(gone.body()).startsWith("no such ticket").doesNotContain(id).endsWith("\n");
    assertThat(gone.body().lines().count()).isEqualTo(1);
  }

  @Test
  void malformedJsonAndMissingFieldsAreBadRequests() throws Exception {
    Path img = daemon.image("a.raw", 4096);
    String id = TicketId.random();
    assertError(daemon.control("PUT", id, "{\"uuid\": "), 400, "request body is not valid JSON");
    assertError(daemon.control("PUT", id, "[1,2]"), 400, "request body must be a JSON object");
    assertError(
        daemon.control("PUT", id, "{\"uuid\":\"" + id + "\"}"),
        400,
        "ticket field 'url' is required");
    assertError(
        daemon.control("PUT", id, ticketJson(id, img.toUri().toString(), 4096, "[\"delete\"]")),
        400,
        "ticket op 'delete' is not one of read, write");
    assertError(
        daemon.control("PUT", id, "{\"uuid\":\"" + id + "\",\"url\":\"x\",\"size\":\"big\"}"),
        400,
        "request body does not fit");
    assertError(
        daemon.control("PUT", id, ticketJson(id, img.toUri().toString(), 8192, "[\"read\"]")),
        400,
        "holds 4096 bytes, less than the ticket size 8192");
    assertError(
        daemon.control(
            "PUT", "short", ticketJson("short", img.toUri().toString(), 4096, "[\"read\"]")),
        400,
        "ticket id must be 32 to 128 characters");
    assertError(daemon.control("PUT", id, " ".repeat(70_000)), 413, "larger than 65536");
    assertThat(daemon.server().ticketCount()).isZero();
  }

  @Test
  void confinesTicketsToTheRoots() throws Exception {
    Path outside = Files.writeString(dir.resolve("secret.raw"), "x".repeat(4096));
    Path escape = daemon.root().resolve("escape.raw");
    Files.createSymbolicLink(escape, outside);
    String id = TicketId.random();
    assertError(
        daemon.control("PUT", id, ticketJson(id, escape.toUri().toString(), 4096, "[\"read\"]")),
        403,
        "outside the configured roots");
    assertError(
        daemon.control(
            "PUT",
            id,
            ticketJson(id, "file://" + daemon.root() + "/../secret.raw", 4096, "[\"read\"]")),
        403,
        "must not contain '..'");
    assertError(
        daemon.control("PUT", id, ticketJson(id, outside.toUri().toString(), 4096, "[\"read\"]")),
        403,
        "outside the configured roots");
    assertError(
        daemon.control("PUT", id, ticketJson(id, "/dev/null", 0, "[\"read\"]")),
        400,
        "not a regular file or block device");
    assertError(
        daemon.control("PUT", id, ticketJson(id, "http://example/x", 1, "[\"read\"]")),
        400,
        "scheme 'http' is not supported");
    assertThat(daemon.server().ticketCount()).isZero();
  }

  @Test
  void coercedScalarsAndTrailingGarbageAreRefusedInTicketsAndPatches() throws Exception {
    Path img = daemon.image("a.raw", 4096);
    String id = TicketId.random();
    String url = img.toUri().toString();
    String good = ticketJson(id, url, 4096, "[\"read\"]");
    for (String bad :
        new String[] {
          good.replace("\"timeout\":300", "\"timeout\":1.5"),
          good.replace("\"timeout\":300", "\"timeout\":\"30\""),
          good.replace("\"size\":4096", "\"size\":4096.0"),
          good.replace("\"timeout\":300", "\"timeout\":300,\"sparse\":\"yes\""),
          good.replace("\"timeout\":300", "\"timeout\":300,\"sparse\":1"),
          good.replace("\"ops\":[\"read\"]", "\"ops\":[1]"),
          good + " garbage",
          good + "{}",
        }) {
      assertError(daemon.control("PUT", id, bad), 400, "request body");
    }
    assertThat(daemon.server().ticketCount()).isZero();
    assertThat(daemon.control("PUT", id, good).statusCode()).isEqualTo(200);
    for (String bad :
        new String[] {
          "{\"timeout\":1.5}",
          "{\"timeout\":30.0}",
          "{\"timeout\":\"30\"}",
          "{\"timeout\":30} x",
          "{\"timeout\":99999999999999999999}",
        }) {
      assertError(daemon.control("PATCH", id, bad), 400, "");
    }
  }

  @Test
  void timeoutsNearLongMaxMeanNeverNotAnExpiryInThePast() throws Exception {
    Path img = daemon.image("a.raw", 4096);
    String id = TicketId.random();
    String json =
        ticketJson(id, img.toUri().toString(), 4096, "[\"read\"]")
            .replace(
                "\"timeout\":300",
                "\"timeout\":" + Long.MAX_VALUE + ",\"inactivity_timeout\":" + Long.MAX_VALUE);
    assertThat(daemon.control("PUT", id, json).statusCode()).isEqualTo(200);
    assertThat(daemon.data("GET", "images/" + id, null).statusCode()).isEqualTo(200);
    String shown = daemon.control("GET", id, null).body();
    assertThat(shown).contains("\"active\":true");
    assertThat(Long.parseLong(shown.replaceAll(".*\"expires\":(-?\\d+).*", "$1"))).isPositive();
    assertThat(
            daemon.control("PATCH", id, "{\"timeout\":" + (Long.MAX_VALUE - 1) + "}").statusCode())
        .isEqualTo(200);
    assertThat(daemon.control("GET", id, null).body()).contains("\"active\":true");
    assertThat(daemon.data("GET", "images/" + id, null).statusCode()).isEqualTo(200);
  }

  @Test
  void expiredTicketIsRefused() throws Exception {
    Path img = daemon.image("a.raw", 4096);
    String id = TicketId.random();
    String json =
        "{\"uuid\":\""
            + id
            + "\",\"url\":\""
            + img.toUri()
            + "\",\"size\":4096,"
            + "\"ops\":[\"read\"],\"timeout\":1}";
    assertThat(daemon.control("PUT", id, json).statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> r;
    do {
      r = daemon.data("GET", "images/" + id, null);
    } while (r.statusCode() == 200 && System.nanoTime() < deadline);
    assertError(r, 403, "ticket");
    assertThat(r.body()).contains("has expired").doesNotContain(id);
    // Once the reaper has dropped it, the daemon still says it expired: "no such ticket" would
    // send the user looking for a typo.
    while (daemon.server().ticketCount() > 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    assertThat(daemon.server().ticketCount()).as("reaped").isZero();
    HttpResponse<String> reaped = daemon.data("GET", "images/" + id, null);
    assertError(reaped, 403, "ticket");
    assertThat(reaped.body())
        .contains("has expired", "add a new ticket")
        .doesNotContain("no such ticket", id);
  }

  @Test
  void unknownRouteAndMethod() throws Exception {
    assertError(daemon.control("GET", "../images", null), 404, "no such resource");
    String id = daemon.addTicket(daemon.image("a.raw", 4096), 4096, false);
    assertThat(daemon.control("POST", id, "{}").statusCode()).isEqualTo(405);
  }

  static void assertError(HttpResponse<String> r, int status, String reason) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).contains(reason).endsWith("\n");
    assertThat(r.body().strip().lines().count()).isEqualTo(1);
  }
}
