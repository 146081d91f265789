package dev.intact.server.http.resource;

import dev.intact.core.checksum.BlockGrid;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;
import dev.intact.server.http.Route;
import dev.intact.server.http.wire.BlockDigestsJson;
import dev.intact.server.job.Hashing;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/{ticket}/block-digests?algorithm=&block_size=&start=&length=}: the digest of
 * each block of a range of the storage, so a client can find the blocks that differ from what it
 * sent. Block sizes are those of blkhash lists; a request covers a bounded number of blocks.
 */
final class BlockDigestsResource {
  /** At most this many block digests per request (the spec's bound). */
  static final int MAX_BLOCKS = 65_536;

  private static final BlockHashList.Construction SIZES = BlockHashList.Construction.BLKHASH;

  private final TicketRequests tickets;
  private final Hashing hashing;

  BlockDigestsResource(TicketRequests tickets, Hashing hashing) {
    this.tickets = tickets;
    this.hashing = hashing;
  }

  Route route() {
    return Route.at("/images/{ticket}/block-digests").on("GET", this::get);
  }

  private void get(Exchange ex, Map<String, String> p) throws Exception {
    String alg = ex.query("algorithm");
    HashAlgorithm inner = ImageioNames.algorithm(alg == null ? "sha256" : alg);
    long blockSize = ex.queryLong("block_size", SIZES.defaultBlockSize());
    if (blockSize < SIZES.minBlockSize()
        || blockSize > SIZES.maxBlockSize()
        || blockSize % 4096 != 0) {
      throw HttpError.badRequest(
          "block_size "
              + blockSize
              + " must be a multiple of 4096 from "
              + SIZES.minBlockSize()
              + " to "
              + SIZES.maxBlockSize());
    }
    tickets.run(
        ex,
        p.get("ticket"),
        false,
        t -> {
          ByteRange range = ImageRange.fromQuery(ex, t.size());
          if (range.start() % blockSize != 0) {
            throw HttpError.badRequest(
                "start " + range.start() + " is not a multiple of block_size " + blockSize);
          }
          long blocks = BlockGrid.count(range.length(), (int) blockSize);
          if (blocks > MAX_BLOCKS) {
            throw HttpError.badRequest(
                "range covers " + blocks + " blocks; at most " + MAX_BLOCKS + " per request");
          }
          List<HashCode> digests;
          try (Image storage = t.storage()) {
            digests = hashing.blockDigests(storage, inner, (int) blockSize, range);
          }
          ex.json(
              200,
              new BlockDigestsJson(
                  inner.name(),
                  (int) blockSize,
                  range.start(),
                  digests.stream().map(HashCode::toHex).toList()));
        });
  }
}
