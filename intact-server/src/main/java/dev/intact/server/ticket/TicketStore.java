package dev.intact.server.ticket;

import dev.intact.core.image.LocalImage;
import dev.intact.core.volume.Volume;
import dev.intact.server.http.HttpError;
import dev.intact.server.image.StorageFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every ticket the daemon holds, indexed by a digest of its id. */
public final class TicketStore {
  private static final Logger LOG = LoggerFactory.getLogger(TicketStore.class);
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(10);
  private static final Duration ABORT_AFTER = Duration.ofSeconds(1);

  private final ConcurrentHashMap<String, Ticket> tickets = new ConcurrentHashMap<>();

  /**
   * Why the last tickets the reaper dropped went away, so that a client presenting one hears
   * "expired", not "no such ticket" (which sends people hunting for a typo). Bounded: ids only.
   */
  private final Map<String, Expired> expired =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Expired> eldest) {
              return size() > EXPIRED_REMEMBERED;
            }
          });

  private static final int EXPIRED_REMEMBERED = 1024;

  private record Expired(TicketId id, String reason) {}

  private final ImageLocator locator;
  private final Clock clock;
  private final Consumer<Ticket> onRemove;
  private final StorageFactory storage;

  /**
   * @param onRemove called when a ticket goes away (removed or expired), to cancel its jobs
   */
  public TicketStore(
      ImageLocator locator, Clock clock, StorageFactory storage, Consumer<Ticket> onRemove) {
    this.storage = storage;
    this.locator = locator;
    this.clock = clock;
    this.onRemove = onRemove;
  }

  /**
   * Adds a ticket, replacing one with the same id.
   *
   * @throws HttpError 400/403 naming what is wrong with the ticket
   */
  public Ticket add(String idText, TicketSpec spec) {
    TicketId id;
    try {
      id = TicketId.parse(idText);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    spec.validate(idText);
    ImageLocator.Location location = locator.locate(spec.url());
    if (spec.volume() && !(location instanceof ImageLocator.Location.File)) {
      throw HttpError.badRequest(
          "ticket field 'storage' is 'volume', but "
              + location.describe()
              + " is no regular file (an Intact volume is one)");
    }
    Ticket ticket = new Ticket(id, spec, location, clock, storage);
    long actual = storageSize(ticket, location);
    if (actual < spec.size()) {
      closeQuietly(ticket);
      throw HttpError.badRequest(
          location.describe()
              + " holds "
              + actual
              + " bytes, less than the ticket size "
              + spec.size());
    }
    Ticket old = tickets.put(id.lookupKey(), ticket);
    if (old != null) {
      retire(old);
    }
    LOG.info(
        "ticket {} added: {} {} bytes {}",
        id.redacted(),
        location.describe(),
        spec.size(),
        spec.ops());
    return ticket;
  }

  /**
   * The size of the ticket's storage. An NBD export is asked through the connection the ticket then
   * keeps (a qemu-nbd without --persistent serves a single client), so a dead or refusing server is
   * a bad ticket now rather than a failed transfer later.
   */
  private static long storageSize(Ticket ticket, ImageLocator.Location location) {
    try {
      return switch (location) {
        // A socket that does not exist yet is connected to, and its size checked, when used.
        case ImageLocator.Location.Nbd n when n.pending() -> ticket.spec().size();
        case ImageLocator.Location.Nbd n -> ticket.image().size();
        // Opened now (and kept, locked) so a file that is no volume is a bad ticket, and the size
        // compared is the volume's logical size, not its file's.
        case ImageLocator.Location.File f when ticket.spec().volume() -> ticket.image().size();
        case ImageLocator.Location.File f -> {
          java.nio.file.Path path = f.pinned().reopenPath();
          if (!ticket.spec().storageNamed() && Volume.startsLikeVolume(path)) {
            closeQuietly(ticket);
            throw HttpError.badRequest(
                location.describe()
                    + " is an Intact volume: say \"storage\": \"volume\" to store through it,"
                    + " or \"storage\": \"raw\" to use its bytes as they are");
          }
          yield localSize(path);
        }
        case ImageLocator.Location.Device d -> localSize(d.pinned().reopenPath());
      };
    } catch (IOException e) {
      closeQuietly(ticket);
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      throw HttpError.badRequest(
          "cannot open " + location.describe() + ": " + reason.lines().findFirst().orElse(reason));
    }
  }

  private static long localSize(java.nio.file.Path path) throws IOException {
    try (LocalImage image = LocalImage.openRead(path)) {
      return image.size();
    }
  }

  private static void closeQuietly(Ticket ticket) {
    try {
      ticket.closeImage();
    } catch (IOException e) {
      LOG.warn("closing the image of a refused ticket: {}", e.toString());
    }
  }

  /**
   * The ticket a client presents, in any state; usability is checked by {@link Ticket#begin}.
   *
   * @throws HttpError 403 if there is no such ticket
   */
  public Ticket get(String presented) {
    Ticket t = find(presented);
    if (t == null) {
      Expired gone = expired.get(TicketId.lookupKeyOf(presented));
      if (gone != null && gone.id().matches(presented)) {
        throw HttpError.forbidden(gone.reason() + "; add a new ticket (or extend one in time)");
      }
      throw HttpError.forbidden("no such ticket: " + TicketId.redact(presented));
    }
    return t;
  }

  private Ticket find(String presented) {
    Ticket t = tickets.get(TicketId.lookupKeyOf(presented));
    return t != null && t.id().matches(presented) ? t : null;
  }

  /** Extends a ticket's lifetime to {@code timeout} seconds from now. */
  public Ticket extend(String presented, long timeoutSeconds) {
    if (timeoutSeconds <= 0) {
      throw HttpError.badRequest("timeout must be positive: " + timeoutSeconds);
    }
    Ticket t = get(presented);
    if (t.cancelled()) {
      throw HttpError.forbidden("ticket " + t.id().redacted() + " was removed");
    }
    t.extend(timeoutSeconds);
    return t;
  }

  /**
   * Removes a ticket (idempotent) and cancels its in-flight requests, waiting for them to notice.
   *
   * @throws HttpError 409 if requests are still running after the wait
   */
  public void remove(String presented) {
    Ticket t = find(presented);
    if (t == null) {
      return;
    }
    tickets.remove(t.id().lookupKey(), t);
    retire(t);
  }

  private void retire(Ticket t) {
    t.cancel();
    onRemove.accept(t);
    boolean drained;
    try {
      // Requests notice the cancel at their next chunk; one blocked on a client that stopped
      // reading never gets there, so after a grace period its connection is closed under it.
      drained = t.awaitIdle(ABORT_AFTER.toMillis());
      if (!drained) {
        t.abortRequests();
        drained = t.awaitIdle(DRAIN_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    if (!drained) {
      throw HttpError.conflict(
          "ticket "
              + t.id().redacted()
              + " removed, but "
              + t.connections()
              + " request(s) still running");
    }
    try {
      t.closeImage();
    } catch (IOException e) {
      LOG.warn("closing the image of ticket {}: {}", t.id().redacted(), e.toString());
    }
    LOG.info("ticket {} removed", t.id().redacted());
  }

  /** Drops expired tickets; called periodically. */
  public void reap() {
    List<Ticket> reaped = new ArrayList<>();
    for (Ticket t : tickets.values()) {
      String reason = t.unusableReason();
      if (reason != null && t.connections() == 0) {
        reaped.add(t);
        if (!t.cancelled()) {
          expired.put(t.id().lookupKey(), new Expired(t.id(), reason));
        }
      }
    }
    for (Ticket t : reaped) {
      if (tickets.remove(t.id().lookupKey(), t)) {
        retire(t);
      }
    }
  }

  public int count() {
    return tickets.size();
  }

  /** Removes every ticket (daemon shutdown). */
  public void clear() {
    for (Ticket t : List.copyOf(tickets.values())) {
      if (tickets.remove(t.id().lookupKey(), t)) {
        try {
          retire(t);
        } catch (HttpError e) {
          LOG.warn(e.getMessage());
        }
      }
    }
  }
}
