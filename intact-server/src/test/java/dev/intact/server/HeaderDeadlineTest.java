package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.image.StorageFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: headers trickled faster than the idle timeout must not hold a connection past the
 * header deadline (the idle timeout, from the first byte), while a slow body is never cut by it.
 */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class HeaderDeadlineTest {
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final long PACE_NANOS = Duration.ofMillis(150).toNanos();

  @TempDir Path dir;

  private TestDaemon start() throws Exception {
    return TestDaemon.start(dir, StorageFactory.STORAGE, c -> c.withIdleTimeout(IDLE));
  }

  /** Counts down once the daemon closes (or resets) the connection. */
  private static CountDownLatch closedLatch(SSLSocket s) {
    CountDownLatch closed = new CountDownLatch(1);
    Thread.ofVirtual()
        .start(
            () -> {
              byte[] sink = new byte[4096];
              try {
                InputStream in = s.getInputStream();
                while (in.read(sink) >= 0) {
                  // drain whatever precedes the close
                }
              } catch (IOException reset) {
                // a reset is as good as a close
              }
              closed.countDown();
            });
    return closed;
  }

  /** Writes {@code bytes} one at a time, paced below the idle timeout, until the daemon closes. */
  private static boolean trickleUntilClosed(SSLSocket s, byte[] bytes, CountDownLatch closed)
      throws Exception {
    OutputStream out = s.getOutputStream();
    long giveUp = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    for (int i = 0; System.nanoTime() < giveUp; i++) {
      try {
        out.write(bytes[i % bytes.length]);
        out.flush();
      } catch (IOException closedUnderUs) {
        return closed.await(15, TimeUnit.SECONDS);
      }
      if (closed.await(PACE_NANOS, TimeUnit.NANOSECONDS)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void headersTrickledFasterThanTheIdleTimeoutAreCutAtTheDeadline() throws Exception {
    try (TestDaemon d = start();
        SSLSocket s = ConnectionsTest.connect(d)) {
      CountDownLatch closed = closedLatch(s);
      byte[] endless =
          "GET /images/x HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
              .getBytes(StandardCharsets.US_ASCII);
      assertThat(trickleUntilClosed(s, endless, closed))
          .as("closed within 15 s though bytes kept coming every 150 ms")
          .isTrue();
    }
  }

  @Test
  void aSecondRequestTrickledOnAKeptAliveConnectionIsCutToo() throws Exception {
    try (TestDaemon d = start();
        SSLSocket s = ConnectionsTest.connect(d)) {
      String id = d.addTicket(d.image("a.raw", 4096), 4096, false);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /images/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = new byte[12];
      assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
      // The rest of the first response is drained by the latch's reader.
      CountDownLatch closed = closedLatch(s);
      byte[] endless =
          "GET /images/x HTTP/1.1\r\nX-Pad: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
              .getBytes(StandardCharsets.US_ASCII);
      assertThat(trickleUntilClosed(s, endless, closed)).isTrue();
    }
  }

  @Test
  void aBodyTrickledForLongerThanTheDeadlineIsStoredWhole() throws Exception {
    try (TestDaemon d = start()) {
      int chunks = 20; // 20 x 150 ms: three times the header deadline
      byte[] content = new byte[chunks * 512];
      new java.util.Random(3).nextBytes(content);
      Path f = d.image("a.raw", content.length);
      String id = d.addTicket(f, content.length, true);
      try (SSLSocket s = ConnectionsTest.connect(d)) {
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(
            ("PUT /images/"
                    + id
                    + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                    + content.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (int i = 0; i < chunks; i++) {
          out.write(content, i * 512, 512);
          out.flush();
          LockSupport.parkNanos(PACE_NANOS);
        }
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(response).startsWith("HTTP/1.1 200");
      }
      assertThat(Arrays.equals(Files.readAllBytes(f), content)).isTrue();
    }
  }
}
