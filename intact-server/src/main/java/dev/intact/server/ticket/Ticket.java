package dev.intact.server.ticket;

import dev.intact.core.image.Image;
import dev.intact.core.image.WritableImage;
import dev.intact.server.http.HttpError;
import dev.intact.server.image.StorageFactory;
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
  private final StorageFactory storage;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong transferred = new AtomicLong();
  private final Object idle = new Object();
  private volatile long expiresAtMillis;
  private volatile long lastActivityMillis;
  private volatile boolean cancelled;
  private final java.util.Set<Runnable> aborts = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private WritableImage image;

  Ticket(
      TicketId id,
      TicketSpec spec,
      ImageLocator.Location location,
      Clock clock,
      StorageFactory storage) {
    this.id = id;
    this.storage = storage;
    this.spec = spec;
    this.location = location;
    this.clock = clock;
    long now = clock.millis();
    this.expiresAtMillis = later(now, spec.timeoutSeconds());
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
        && now - lastActivityMillis > millis(spec.inactivityTimeoutSeconds())) {
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

  /** The image, opened on first use and shared by every request of this ticket. */
  public synchronized WritableImage image() throws IOException {
    if (cancelled) {
      throw HttpError.forbidden("ticket " + id.redacted() + " was removed");
    }
    if (image == null) {
      image =
          switch (location) {
            case ImageLocator.Location.File f when spec.volume() ->
                storage.openVolume(f.pinned().reopenPath(), spec.canWrite());
            case ImageLocator.Location.File f ->
                storage.open(f.pinned().reopenPath(), false, spec.canWrite());
            case ImageLocator.Location.Device d ->
                storage.open(d.pinned().reopenPath(), true, spec.canWrite());
            case ImageLocator.Location.Nbd n -> openNbd(n);
          };
    }
    return image;
  }

  /**
   * Connects to the ticket's NBD export. A socket that did not exist when the ticket was added is
   * checked now, and its export must hold the ticket's size (checked when adding, for the others).
   */
  private WritableImage openNbd(ImageLocator.Location.Nbd n) throws IOException {
    n.checkAtUse();
    WritableImage opened = storage.openNbd(n.uri(), spec.canWrite());
    if (n.pending() && opened.size() < spec.size()) {
      long has = opened.size();
      opened.close();
      throw HttpError.conflict(
          n.describe() + " holds " + has + " bytes, less than the ticket size " + spec.size());
    }
    return opened;
  }

  /**
   * The image as a checksum must read it: what was written is made durable first (a read-only
   * ticket wrote nothing, and an NBD server may refuse its flush), then every read is a {@link
   * WritableImage#readDirect}, the bytes on the device rather than a cache of what was written.
   * Closing the view leaves the image open.
   */
  public Image storage() throws IOException {
    WritableImage open = image();
    if (spec.canWrite()) {
      open.flush();
    }
    return open.directView();
  }

  void extend(long timeoutSeconds) {
    expiresAtMillis = later(clock.millis(), timeoutSeconds);
  }

  /**
   * {@code seconds} after {@code nowMillis}, saturating: a timeout near {@code Long.MAX_VALUE}
   * means "never", not an overflow into the past (a negative expiry that reaps the ticket at once).
   */
  static long later(long nowMillis, long seconds) {
    long sum = nowMillis + millis(seconds);
    return sum < nowMillis ? Long.MAX_VALUE : sum;
  }

  /** {@code seconds} in milliseconds, saturating at {@code Long.MAX_VALUE}. */
  static long millis(long seconds) {
    return seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
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

  /** Closes the image, then the pinned descriptor it was opened through (the ticket's end). */
  synchronized void closeImage() throws IOException {
    try {
      if (image != null) {
        image.close();
        image = null;
      }
    } finally {
      cancelled = true; // nothing may reopen through a descriptor number that may be reused
      location.release();
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
