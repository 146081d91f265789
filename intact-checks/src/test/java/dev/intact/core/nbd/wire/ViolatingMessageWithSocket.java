package dev.intact.core.nbd.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Breaks the NBD codec rule on purpose: a message record that reads itself from a socket. */
public record ViolatingMessageWithSocket(long handle) {
  public static ViolatingMessageWithSocket read(SocketChannel socket) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8);
    socket.read(b);
    return new ViolatingMessageWithSocket(b.flip().getLong());
  }
}
