package dev.intact.client.archfixture;

import dev.intact.server.IntactServer;

/** Breaks client/server independence on purpose: the client using a server class. */
public final class ViolatesClientWithServerClass {
  private ViolatesClientWithServerClass() {}

  public static String serverName() {
    return IntactServer.class.getName();
  }
}
