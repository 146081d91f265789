package dev.intact.server.ticket;

import dev.intact.server.http.HttpError;
import dev.intact.server.image.BackendFactory;
import dev.intact.server.image.ImageBackend;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live ticket: what the engine asked for, where the image is, and what is happening on it now.
 * Data requests bracket their work with {@link #begin} / {@link #end}; removal sets {@link
 * #cancelled} so streaming requests stop at their next chunk.
 */
public final class Ticket {
  private final TicketId id;
  private final TicketSpec spec;
  private final ImageLocator.Location location;
  private final Clock clock;
  private final BackendFactory backends;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong transferred = new AtomicLong();
  private final Object idle = new Object();
  private volatile long expiresAtMillis;
  private volatile long lastActivityMillis;
  private volatile boolean cancelled;
  private final java.util.Set<Runnable> aborts = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private ImageBackend backend;

  Ticket(
      TicketId id,
      TicketSpec spec,
      ImageLocator.Location location,
      Clock clock,
      BackendFactory backends) {
    this.id = id;
    this.backends = backends;
    this.spec = spec;
    this.location = location;
    this.clock = clock;
    long now = clock.millis();
    this.expiresAtMillis = now + spec.timeoutSeconds() * 1000;
    this.lastActivityMillis = now;
  }

  public TicketId id() {
    return id;
  }

  public TicketSpec spec() {
    return spec;
  }

  public long size() {
    return spec.size();
  }

  public String imageName() {
    return location.describe();
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Why the ticket cannot be used now, or null when it can. */
  String unusableReason() {
    long now = clock.millis();
    if (cancelled) {
      return "ticket " + id.redacted() + " was removed";
    }
    if (now >= expiresAtMillis) {
      return "ticket " + id.redacted() + " has expired";
    }
    if (connections.get() == 0
        && now - lastActivityMillis > spec.inactivityTimeoutSeconds() * 1000) {
      return "ticket "
          + id.redacted()
          + " expired after "
          + spec.inactivityTimeoutSeconds()
          + " s of inactivity";
    }
    return null;
  }

  /**
   * Starts a data request.
   *
   * @throws HttpError 403 if the ticket is unusable or does not allow {@code write}
   */
  public void begin(boolean write) {
    begin(write, null);
  }

  /**
   * Starts a data request that {@code abort} can stop while it is blocked on its client (a response
   * the client stopped reading never reaches its next chunk, where it would notice that the ticket
   * was removed). Pass the same {@code abort} to {@link #end(Runnable)}.
   *
   * @throws HttpError 403 if the ticket is unusable or does not allow {@code write}
   */
  public void begin(boolean write, Runnable abort) {
    if (abort != null) {
      aborts.add(abort);
    }
    connections.incrementAndGet();
    lastActivityMillis = clock.millis();
    String reason = unusableReason();
    if (reason == null && write && !spec.canWrite()) {
      reason = "ticket " + id.redacted() + " does not allow write";
    }
    if (reason != null) {
      end(abort);
      throw HttpError.forbidden(reason);
    }
  }

  /** Ends a request begun with {@code abort}. */
  public void end(Runnable abort) {
    if (abort != null) {
      aborts.remove(abort);
    }
    end();
  }

  public void end() {
    lastActivityMillis = clock.millis();
    if (connections.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /** Waits until no request is running on this ticket; returns whether that happened in time. */
  boolean awaitIdle(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    synchronized (idle) {
      while (connections.get() > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        idle.wait(left);
      }
    }
    return true;
  }

  /** Throws 403 once the ticket is removed: streaming loops call this between chunks. */
  public void checkNotCancelled() {
    if (cancelled) {
      throw HttpError.forbidden("ticket " + id.redacted() + " was removed during the request");
    }
  }

  public void addTransferred(long bytes) {
    transferred.addAndGet(bytes);
    lastActivityMillis = clock.millis();
  }

  /** The storage, opened on first use and shared by every request of this ticket. */
  public synchronized ImageBackend backend() throws IOException {
    if (cancelled) {
      throw HttpError.forbidden("ticket " + id.redacted() + " was removed");
    }
    if (backend == null) {
      backend =
          switch (location) {
            case ImageLocator.Location.File f -> backends.open(f.path(), false, spec.canWrite());
            case ImageLocator.Location.Device d -> backends.open(d.path(), true, spec.canWrite());
            case ImageLocator.Location.Nbd n -> backends.openNbd(n.uri(), spec.canWrite());
          };
    }
    return backend;
  }

  void extend(long timeoutSeconds) {
    expiresAtMillis = clock.millis() + timeoutSeconds * 1000;
  }

  void cancel() {
    cancelled = true;
  }

  /** Aborts the requests still running after a cancel: their connections are closed. */
  void abortRequests() {
    for (Runnable abort : aborts) {
      abort.run();
    }
  }

  int connections() {
    return connections.get();
  }

  synchronized void closeBackend() throws IOException {
    if (backend != null) {
      backend.close();
      backend = null;
    }
  }

  /** The ticket as {@code GET /tickets/{id}} shows it. */
  public TicketStatus status() {
    long now = clock.millis();
    return new TicketStatus(
        spec,
        unusableReason() == null,
        connections.get(),
        expiresAtMillis / 1000,
        (now - lastActivityMillis) / 1000.0,
        transferred.get());
  }
}
