package dev.intact.server.http.resource;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.wire.Allocation;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;
import dev.intact.server.http.Route;
import dev.intact.server.http.wire.ExtentJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/{ticket}/extents?context=zero[&start=&length=]}: the image's data and zero
 * extents, neighbours of the same kind merged. A file's zero extents are holes too (it has no
 * backing layer); an NBD export's holes are where its layer lacks the data.
 */
final class ExtentsResource {
  private final TicketRequests tickets;

  ExtentsResource(TicketRequests tickets) {
    this.tickets = tickets;
  }

  Route route() {
    return Route.at("/images/{ticket}/extents").on("GET", this::get);
  }

  private void get(Exchange ex, Map<String, String> p) throws Exception {
    String context = ex.query("context");
    if (context != null && !context.equals("zero")) {
      throw HttpError.badRequest("extents context '" + context + "' is not supported (use zero)");
    }
    tickets.run(
        ex,
        p.get("ticket"),
        false,
        t -> {
          ByteRange range = ImageRange.fromQuery(ex, t.size());
          WritableImage image = t.image();
          if (image instanceof NbdImage nbd) {
            // An NBD export may be one layer of a chain: a hole is only where that layer lacks
            // the data (qemu:allocation-depth), not every zero, as imageio reports it.
            List<ExtentJson> out = new ArrayList<>();
            for (Allocation a : nbd.allocation(range.start(), range.end())) {
              out.add(new ExtentJson(a.start(), a.length(), a.zero(), a.hole()));
            }
            ex.json(200, out);
            return;
          }
          List<ExtentJson> out = new ArrayList<>();
          for (long pos = range.start(); pos < range.end(); ) {
            Extent e = image.extentAt(pos, range.end());
            ExtentJson last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.zero() == e.zero()) {
              out.set(
                  out.size() - 1,
                  new ExtentJson(last.start(), last.length() + e.length(), e.zero(), e.zero()));
            } else {
              out.add(new ExtentJson(e.start(), e.length(), e.zero(), e.zero()));
            }
            pos = e.end();
          }
          ex.json(200, out);
        });
  }
}
