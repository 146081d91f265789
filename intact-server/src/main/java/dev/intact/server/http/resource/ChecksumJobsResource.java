package dev.intact.server.http.resource;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;
import dev.intact.server.http.Route;
import dev.intact.server.http.wire.JobRequestJson;
import dev.intact.server.http.wire.JobStartedJson;
import dev.intact.server.job.ChecksumJob;
import dev.intact.server.job.ChecksumJobs;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Checksum jobs: {@code POST} starts one over a range of the ticket's storage, {@code GET} polls
 * it, {@code DELETE} cancels it. Served under {@code /images/{ticket}/checksum-jobs} and under
 * Coriolis's {@code /api/v2/device/{ticket}/checksumJob}.
 */
final class ChecksumJobsResource {
  private final TicketRequests tickets;
  private final ChecksumJobs jobs;

  ChecksumJobsResource(TicketRequests tickets, ChecksumJobs jobs) {
    this.tickets = tickets;
    this.jobs = jobs;
  }

  List<Route> routes() {
    return List.of(
        Route.at("/images/{ticket}/checksum-jobs").on("POST", this::start),
        Route.at("/images/{ticket}/checksum-jobs/{job}")
            .on("GET", this::status)
            .on("DELETE", this::cancel),
        Route.at("/api/v2/device/{ticket}/checksumJob").on("POST", this::start),
        Route.at("/api/v2/device/{ticket}/checksumJob/{job}")
            .on("GET", this::status)
            .on("DELETE", this::cancel));
  }

  private void status(Exchange ex, Map<String, String> p) throws Exception {
    ex.json(200, jobs.get(tickets.get(p.get("ticket")), p.get("job")).status());
  }

  private void cancel(Exchange ex, Map<String, String> p) {
    jobs.remove(tickets.get(p.get("ticket")), p.get("job"));
    ex.empty(204);
  }

  private void start(Exchange ex, Map<String, String> p) throws Exception {
    JobRequestJson req = ex.readJson(JobRequestJson.class);
    long start = req.startOffset() == null ? 0 : req.startOffset();
    long end = req.endOffset() == null ? 0 : req.endOffset();
    if (start < 0 || end < 0) {
      throw HttpError.badRequest("start_offset and end_offset must not be negative");
    }
    String alg = req.checksumAlgorithm() == null ? "sha256" : req.checksumAlgorithm();
    if (alg.equalsIgnoreCase("blake2b")) {
      alg = "blake2b-256";
    }
    if (req.blockSize() != null && (req.blockSize() <= 0 || req.blockSize() > Integer.MAX_VALUE)) {
      throw HttpError.badRequest("block_size " + req.blockSize() + " is not valid");
    }
    ChecksumType type =
        ChecksumType.parse(
            alg, req.blockSize() == null ? OptionalLong.empty() : OptionalLong.of(req.blockSize()));
    tickets.run(
        ex,
        p.get("ticket"),
        false,
        t -> {
          // Coriolis's end_offset 0 means the end of the image.
          long e = end == 0 ? t.size() : end;
          ChecksumJob job = jobs.submit(t, type, ImageRange.ofEnd("range", start, e, t.size()));
          ex.json(202, new JobStartedJson(job.id()));
        });
  }
}
