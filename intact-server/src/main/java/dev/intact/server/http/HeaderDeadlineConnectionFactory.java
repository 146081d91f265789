package dev.intact.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 connections that must finish a request's headers within a deadline. Jetty's idle timeout
 * restarts with every byte, so a client sending one header byte every few seconds (a "slowloris")
 * held a connection indefinitely; Jetty 12.1 has no header-read deadline of its own.
 *
 * <p>The clock starts when the connection opens (so a stalled TLS handshake counts too) and when
 * the first byte of a later request on a kept-alive connection is parsed; it stops when the parser
 * leaves its header states (the request is handed over, with or without a body). A connection whose
 * clock reaches the deadline is closed. Bodies are never timed by this: a long upload is bounded by
 * the idle timeout only, which any progress resets.
 */
public final class HeaderDeadlineConnectionFactory extends HttpConnectionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadlineConnectionFactory.class);

  private final long deadlineMillis;

  public HeaderDeadlineConnectionFactory(HttpConfiguration config, Duration deadline) {
    super(config);
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("header deadline must be positive: " + deadline);
    }
    this.deadlineMillis = deadline.toMillis();
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    return configure(
        new Timed(getHttpConfiguration(), connector, endPoint, deadlineMillis),
        connector,
        endPoint);
  }

  private static final class Timed extends HttpConnection {
    private final Connector connector;
    private final long deadlineMillis;

    /**
     * The count of completed request headers ({@link #getMessagesIn()}, which Jetty bumps as a
     * request's headers complete) when the running clock started; -1 before any. A clock whose
     * count has moved on by the deadline was for headers that completed: it does nothing.
     */
    private volatile long armedAt = -1;

    Timed(HttpConfiguration config, Connector connector, EndPoint endPoint, long deadlineMillis) {
      super(config, connector, endPoint);
      this.connector = connector;
      this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void onOpen() {
      super.onOpen();
      arm(getMessagesIn());
    }

    @Override
    public void onFillable() {
      super.onFillable();
      // onFillable runs serialized for a connection, and it is where request headers are parsed:
      // bytes of a new request have arrived if the parser is past START but still in its headers.
      HttpParser parser = getParser();
      long received = getMessagesIn();
      if (armedAt != received && parser.inHeaderState() && !parser.isStart()) {
        arm(received);
      }
    }

    private void arm(long received) {
      armedAt = received;
      connector
          .getScheduler()
          .schedule(() -> expire(received), deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private void expire(long received) {
      if (getMessagesIn() == received && getEndPoint().isOpen()) {
        LOG.info(
            "closing connection from {}: request headers not complete after {} ms",
            getEndPoint().getRemoteSocketAddress(),
            deadlineMillis);
        getEndPoint().close();
      }
    }
  }
}
