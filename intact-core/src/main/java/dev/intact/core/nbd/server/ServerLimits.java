package dev.intact.core.nbd.server;

import dev.intact.core.nbd.wire.Nbd;
import java.time.Duration;

/**
 * What an {@link NbdServer} accepts from a client: the largest request payload (announced as the
 * maximum block size), the largest option, how long a handshake may take, how long one message may
 * stay incomplete once it has started arriving, and how many connections it serves at once (each is
 * a platform thread, with {@link NbdServerSession#WRITERS} more once it writes; one more is closed
 * at once, before the greeting).
 */
public record ServerLimits(
    int maxPayload,
    int maxOptionLength,
    Duration handshakeTimeout,
    Duration messageTimeout,
    int maxConnections) {

  /**
   * Enough for nbdcopy's and qemu-img's several connections per export from a few clients at once,
   * while a flood cannot start unbounded threads.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  public ServerLimits {
    if (maxPayload < 4096 || maxOptionLength < 4 + Nbd.MAX_STRING) {
      throw new IllegalArgumentException("limits too small to speak NBD");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "an NBD server needs at least 1 connection, not " + maxConnections);
    }
  }

  public ServerLimits(
      int maxPayload, int maxOptionLength, Duration handshakeTimeout, Duration messageTimeout) {
    this(maxPayload, maxOptionLength, handshakeTimeout, messageTimeout, DEFAULT_MAX_CONNECTIONS);
  }

  public static ServerLimits defaults() {
    return new ServerLimits(32 << 20, 64 << 10, Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  public ServerLimits withTimeouts(Duration handshake, Duration message) {
    return new ServerLimits(maxPayload, maxOptionLength, handshake, message, maxConnections);
  }

  public ServerLimits withMaxConnections(int max) {
    return new ServerLimits(maxPayload, maxOptionLength, handshakeTimeout, messageTimeout, max);
  }
}
