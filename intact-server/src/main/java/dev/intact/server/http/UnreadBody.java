package dev.intact.server.http;

import java.io.IOException;
import org.eclipse.jetty.server.Request;

/**
 * The rest of a request body its handler failed before reading, taken and thrown away so that the
 * error answer reaches the client. Answering and closing while body bytes are still arriving makes
 * the kernel reset the connection, and a reset can drop the answer from the client's receive buffer
 * before the client reads it: a daemon failing a 16 MiB PUT at its first write (a full disk) was
 * then heard as "closed the connection mid-transfer". Only bodies of a declared length up to {@link
 * #MAX_DISCARDED} are read to their end; a longer or chunked one is left to Jetty, which closes the
 * connection.
 */
final class UnreadBody {
  /** The largest PUT a client of this daemon sends (the Intact client's chunks reach 64 MiB). */
  static final long MAX_DISCARDED = 64L << 20;

  private UnreadBody() {}

  /** Reads and drops what is left of {@code request}'s body, if its length allows. */
  static void discard(Request request) {
    long declared = request.getLength();
    if (declared < 0 || declared > MAX_DISCARDED) {
      return;
    }
    try (BlockingBody body = new BlockingBody(request)) {
      body.skipRest();
    } catch (IOException e) {
      // The client went away or stalled: nothing more will arrive, and no one is left to answer.
    }
  }
}
