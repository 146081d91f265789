package dev.intact.core.nbd.server;

import dev.intact.core.nbd.client.NbdUri;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link NbdExport}s over TCP or a unix socket: one (platform) thread per connection, at
 * most {@link ServerLimits#maxConnections()} of them; a connection beyond that is closed before the
 * greeting (the protocol has no earlier refusal) and the others go on unaffected. A client that
 * breaks the protocol loses its connection and nothing else; the server keeps serving the others.
 */
public final class NbdServer implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(NbdServer.class);

  private final ServerSocketChannel listener;
  private final SocketAddress address;
  private final List<NbdExport> exports;
  private final ServerLimits limits;
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  /** Set while refusing, so a flood logs one warning instead of one per connection. */
  private final AtomicBoolean refusing = new AtomicBoolean();

  private NbdServer(ServerSocketChannel listener, List<NbdExport> exports, ServerLimits limits)
      throws IOException {
    this.listener = listener;
    this.address = listener.getLocalAddress();
    this.exports = List.copyOf(exports);
    this.limits = limits;
    this.acceptor = Thread.ofVirtual().name("nbd-accept " + address).start(this::acceptLoop);
  }

  /**
   * Listens on {@code bind}: an {@link InetSocketAddress} (port 0 picks a free port) or a {@link
   * UnixDomainSocketAddress}, whose path must not exist yet.
   */
  public static NbdServer start(SocketAddress bind, List<NbdExport> exports, ServerLimits limits)
      throws IOException {
    if (exports.isEmpty()) {
      throw new IllegalArgumentException("an NBD server needs at least one export");
    }
    ServerSocketChannel ch;
    if (bind instanceof UnixDomainSocketAddress unix) {
      if (Files.exists(unix.getPath(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new java.nio.file.FileAlreadyExistsException(
            unix.getPath().toString(),
            null,
            "socket path already exists; remove it or choose another");
      }
      ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    } else {
      ch = ServerSocketChannel.open();
    }
    try {
      ch.bind(bind, 64);
      return new NbdServer(ch, exports, limits);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
    }
  }

  /** The bound address (with the real port when port 0 was asked for). */
  public SocketAddress address() {
    return address;
  }

  /** A URI a client can use for {@code export}. */
  public NbdUri uri(String export) {
    if (address instanceof UnixDomainSocketAddress unix) {
      return NbdUri.unix(unix.getPath(), export);
    }
    InetSocketAddress inet = (InetSocketAddress) address;
    String host =
        inet.getAddress().isAnyLocalAddress() ? "localhost" : inet.getAddress().getHostAddress();
    return NbdUri.tcp(host, inet.getPort(), export);
  }

  /** Blocks until the server is closed (by {@link #close()} from another thread). */
  public void awaitClosed() throws InterruptedException {
    acceptor.join();
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel c;
      try {
        c = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          log.warn("NBD server on {}: accept failed: {}", address, e.toString());
        }
        continue;
      }
      if (connections.size() >= limits.maxConnections()) {
        refuse(c);
        continue;
      }
      connections.add(c);
      // A connection is one long session whose reads and replies alternate on a single socket:
      // on a platform thread, nbdcopy from serve-nbd measured 1.06-1.22x nbdkit file's throughput
      // against 0.72-0.79x on a virtual thread (4 GiB, 50 % holes, unix socket, 2 cores).
      Thread.ofPlatform().daemon().name("nbd-conn").start(() -> serve(c));
    }
  }

  private void serve(SocketChannel c) {
    String peer = peerName(c);
    try {
      if (c.getLocalAddress() instanceof InetSocketAddress) {
        c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      }
      new NbdServerSession(c, () -> closeQuietly(c), exports, limits, peer).run();
      log.debug("NBD client {} disconnected", peer);
    } catch (IOException e) {
      if (!closed) {
        log.warn("NBD client {} dropped: {}", peer, e.getMessage());
      }
    } catch (RuntimeException e) {
      log.error("NBD client {}: internal error", peer, e);
    } finally {
      connections.remove(c);
      closeQuietly(c);
      refusing.set(false);
    }
  }

  private void refuse(SocketChannel c) {
    if (refusing.compareAndSet(false, true)) {
      log.warn(
          "NBD server on {}: {} connections already, closing {} and any more until one ends",
          address,
          limits.maxConnections(),
          peerName(c));
    }
    closeQuietly(c);
  }

  private static String peerName(SocketChannel c) {
    try {
      SocketAddress a = c.getRemoteAddress();
      return a == null || a instanceof UnixDomainSocketAddress ? "unix client" : a.toString();
    } catch (IOException e) {
      return "client";
    }
  }

  /** Stops listening, drops every connection, and removes a unix socket file. */
  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    for (SocketChannel c : connections) {
      closeQuietly(c);
    }
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (address instanceof UnixDomainSocketAddress unix) {
      Files.deleteIfExists(unix.getPath());
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already broken: nothing more to release
    }
  }

  /** Convenience for a unix socket path. */
  public static NbdServer onUnixSocket(Path socket, List<NbdExport> exports, ServerLimits limits)
      throws IOException {
    return start(UnixDomainSocketAddress.of(socket), exports, limits);
  }
}
