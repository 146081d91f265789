package dev.intact.server.job;

import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.server.http.HttpError;
import dev.intact.server.http.ServerPaths;
import dev.intact.server.ticket.Ticket;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's checksum jobs: each runs on its own platform thread at low priority, as all the
 * daemon's {@link Hashing} does, at most {@code threads} of them read storage at once, and at most
 * {@code maxJobs} may be unfinished (more is a 409).
 */
@SuppressWarnings("try") // close() waits for running jobs, so may be interrupted
public final class ChecksumJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChecksumJobs.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int maxJobs;
  private final ChecksumEngine engine;
  private final Semaphore readers;
  private final AtomicInteger unfinished = new AtomicInteger();
  private final Hashing hashing;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Hashing.factory("checksum-job-"));
  private final Map<Ticket, Map<String, ChecksumJob>> byTicket = new ConcurrentHashMap<>();

  public ChecksumJobs(int maxJobs, int threads) {
    this.maxJobs = maxJobs;
    this.engine = ChecksumEngine.withThreads(threads);
    this.hashing = new Hashing(engine);
    this.readers = new Semaphore(threads, true);
  }

  /**
   * Starts a job over {@code range} of the ticket's image.
   *
   * @throws HttpError 409 when {@code maxJobs} jobs are already unfinished
   */
  public ChecksumJob submit(Ticket ticket, ChecksumType type, ByteRange range) {
    if (unfinished.incrementAndGet() > maxJobs) {
      unfinished.decrementAndGet();
      throw HttpError.conflict("too many checksum jobs running (limit " + maxJobs + ")");
    }
    byte[] idBytes = new byte[16];
    RANDOM.nextBytes(idBytes);
    ChecksumJob job = new ChecksumJob(HexFormat.of().formatHex(idBytes), type, range);
    Map<String, ChecksumJob> jobs =
        byTicket.computeIfAbsent(ticket, t -> new ConcurrentHashMap<>());
    evictFinished(jobs);
    jobs.put(job.id(), job);
    try {
      job.attach(executor.submit(() -> run(ticket, job)));
    } catch (RuntimeException e) {
      unfinished.decrementAndGet();
      jobs.remove(job.id());
      throw e;
    }
    return job;
  }

  /** Keeps a ticket's finished jobs bounded too: the oldest finished ones go first. */
  private void evictFinished(Map<String, ChecksumJob> jobs) {
    while (jobs.size() >= maxJobs) {
      var oldest =
          jobs.values().stream()
              .filter(ChecksumJob::done)
              .min(Comparator.comparingLong(ChecksumJob::createdNanos));
      if (oldest.isEmpty()) {
        return;
      }
      jobs.remove(oldest.get().id());
    }
  }

  private void run(Ticket ticket, ChecksumJob job) {
    try {
      ticket.begin(false);
      try {
        readers.acquire();
        try {
          // Verify what is on the disk, not what the daemon remembers writing.
          try (Image storage = ticket.storage()) {
            job.finish(engine.compute(storage, job.type(), job.range(), job::advance));
          }
        } finally {
          readers.release();
        }
      } finally {
        ticket.end();
      }
    } catch (InterruptedException | InterruptedIOException e) {
      job.fail("cancelled");
    } catch (HttpError e) {
      job.fail(e.getMessage());
    } catch (java.io.EOFException | dev.intact.core.image.RangeOutOfBoundsException e) {
      LOG.warn("checksum job {} on {}: {}", job.id(), ticket.imageName(), e.getMessage());
      job.fail(
          "the image is now shorter than the ticket's size "
              + ticket.size()
              + " (it shrank after the ticket was added)");
    } catch (Exception e) {
      LOG.error("checksum job {} on {} failed", job.id(), ticket.imageName(), e);
      job.fail(ServerPaths.scrub(e.toString()));
    } finally {
      unfinished.decrementAndGet();
    }
  }

  /**
   * Returns the ticket's job with this id.
   *
   * @throws HttpError 404 if the ticket has no such job
   */
  public ChecksumJob get(Ticket ticket, String jobId) {
    Map<String, ChecksumJob> jobs = byTicket.get(ticket);
    ChecksumJob job = jobs == null ? null : jobs.get(jobId);
    if (job == null) {
      throw HttpError.notFound("no checksum job " + jobId + " on this ticket");
    }
    return job;
  }

  /** Cancels and forgets a job (idempotent). */
  public void remove(Ticket ticket, String jobId) {
    Map<String, ChecksumJob> jobs = byTicket.get(ticket);
    ChecksumJob job = jobs == null ? null : jobs.remove(jobId);
    if (job != null) {
      job.cancel();
    }
  }

  /** Cancels and forgets every job of a ticket that is going away. */
  public void removeAll(Ticket ticket) {
    Map<String, ChecksumJob> jobs = byTicket.remove(ticket);
    if (jobs != null) {
      jobs.values().forEach(ChecksumJob::cancel);
    }
  }

  /** The hashing synchronous checksums and block digests do, with the engine jobs use. */
  public Hashing hashing() {
    return hashing;
  }

  public int unfinished() {
    return unfinished.get();
  }

  @Override
  public void close() throws InterruptedException {
    hashing.close();
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
