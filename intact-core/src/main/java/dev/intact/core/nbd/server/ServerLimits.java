package dev.intact.core.nbd.server;

import dev.intact.core.nbd.wire.Nbd;
import java.time.Duration;

/**
 * What an {@link NbdServer} accepts from a client: the largest request payload (announced as the
 * maximum block size), the largest option, how long a handshake may take, and how long one message
 * may stay incomplete once it has started arriving.
 */
public record ServerLimits(
    int maxPayload, int maxOptionLength, Duration handshakeTimeout, Duration messageTimeout) {

  public ServerLimits {
    if (maxPayload < 4096 || maxOptionLength < 4 + Nbd.MAX_STRING) {
      throw new IllegalArgumentException("limits too small to speak NBD");
    }
  }

  public static ServerLimits defaults() {
    return new ServerLimits(32 << 20, 64 << 10, Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  public ServerLimits withTimeouts(Duration handshake, Duration message) {
    return new ServerLimits(maxPayload, maxOptionLength, handshake, message);
  }
}
