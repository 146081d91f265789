package dev.intact.server.http.resource;

import dev.intact.server.DataApi;
import dev.intact.server.ServerConfig;
import dev.intact.server.http.Route;
import dev.intact.server.job.ChecksumJobs;
import dev.intact.server.ticket.TicketStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Every resource of the data API, one class per route as ovirt-imageio's handlers are: the image,
 * its extents, its checksum, and (Intact's API, not imageio's) its block digests and checksum jobs.
 */
public final class DataResources {
  private DataResources() {}

  /** The routes of the data API, for {@link dev.intact.server.http.DataHandler}. */
  public static List<Route> routes(
      TicketStore store, ChecksumJobs jobs, ServerConfig config, DataApi api) {
    TicketRequests tickets = new TicketRequests(store);
    List<Route> routes = new ArrayList<>();
    routes.add(new ImageResource(tickets, config, api).route());
    routes.add(new ExtentsResource(tickets).route());
    routes.addAll(new ChecksumResource(tickets, jobs.hashing()).routes());
    if (api.hasIntactExtensions()) {
      routes.add(new BlockDigestsResource(tickets, jobs.hashing()).route());
      routes.addAll(new ChecksumJobsResource(tickets, jobs).routes());
    }
    return List.copyOf(routes);
  }
}
