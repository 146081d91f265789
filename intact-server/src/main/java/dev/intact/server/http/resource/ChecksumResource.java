package dev.intact.server.http.resource;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.Route;
import dev.intact.server.http.wire.AlgorithmsJson;
import dev.intact.server.http.wire.ChecksumJson;
import dev.intact.server.job.Hashing;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/{ticket}/checksum}: imageio's block-hash list of the whole image, computed
 * from the storage while the client waits; {@code .../checksum/algorithms} lists what it accepts.
 */
final class ChecksumResource {
  private final TicketRequests tickets;
  private final Hashing hashing;

  ChecksumResource(TicketRequests tickets, Hashing hashing) {
    this.tickets = tickets;
    this.hashing = hashing;
  }

  List<Route> routes() {
    return List.of(
        Route.at("/images/{ticket}/checksum").on("GET", this::get),
        Route.at("/images/{ticket}/checksum/algorithms")
            .on("GET", (ex, p) -> ex.json(200, new AlgorithmsJson(ImageioNames.all()))));
  }

  private void get(Exchange ex, Map<String, String> p) throws Exception {
    String alg = ex.query("algorithm");
    HashAlgorithm inner = ImageioNames.algorithm(alg == null ? "blake2b" : alg);
    long blockSize =
        ex.queryLong("block_size", BlockHashList.Construction.IMAGEIO.defaultBlockSize());
    BlockHashList type =
        new BlockHashList(
            BlockHashList.Construction.IMAGEIO,
            inner,
            (int) Math.min(blockSize, Integer.MAX_VALUE));
    tickets.run(
        ex,
        p.get("ticket"),
        false,
        t -> {
          Checksum c;
          try (Image storage = t.storage()) {
            c = hashing.compute(storage, type, ByteRange.whole(t.size()), ProgressListener.NONE);
          }
          ex.json(
              200, new ChecksumJson(ImageioNames.name(inner), type.blockSize(), c.value().toHex()));
        });
  }
}
