package dev.intact.client;

import dev.intact.core.checksum.BlockDigestList;
import dev.intact.core.checksum.BlockGrid;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One verified transfer from a source to a destination: send every block once (recording the
 * source's block digests and the inline checksum), then verify against the daemons' storage; with
 * {@code --repair}, resend the ranges whose blocks differ and verify again, up to the retries.
 */
final class Transfer {
  private final Endpoint<? extends Image> source;
  private final Endpoint<? extends WritableImage> destination;
  private final TransferOptions options;
  private final int workers;

  /**
   * @param limit the most connections the daemons allow (readers of the source, writers of the
   *     destination)
   */
  Transfer(
      Endpoint<? extends Image> source,
      Endpoint<? extends WritableImage> destination,
      TransferOptions options,
      int limit) {
    this.source = source;
    this.destination = destination;
    this.options = options;
    this.workers = Math.max(1, Math.min(options.connections(), limit));
  }

  TransferResult run() throws IOException {
    TransferOptions o = options;
    long size = source.image().size();
    ByteRange range = o.range().orElse(ByteRange.whole(size)).checkWithin(size, source.describe());
    ChecksumType type = o.checksumType();
    // A whole-stream value is hashed in order as the chunks go out; the blocks of the default
    // block-hash list still cut the work into chunks and, with --repair, locate damage.
    BlockHashList blocks =
        type instanceof BlockHashList b ? b : (BlockHashList) ChecksumType.DEFAULT;
    Optional<StreamDigest> stream =
        type instanceof WholeStream w
            ? Optional.of(new StreamDigest(w.algorithm().newHasher()))
            : Optional.empty();
    Optional<BlockDigestList> digests =
        stream.isEmpty() || o.repair() ? Optional.of(digestList(blocks, range)) : Optional.empty();
    // A daemon without checksum jobs (imageio) computes only its own block-hash list of the whole
    // image: that list is then recorded too, and is what the daemon's storage is compared with.
    Optional<BlockDigestList> proof =
        o.verify() ? proofList(type, range, o.expected()) : Optional.empty();
    BlockGrid grid = new BlockGrid(range, blocks.blockSize());
    Sender sender = new Sender(source.image(), grid, digests, proof, workers, o.progress());
    TransferStats stats = new TransferStats();

    List<BlockRun> firstChunks = sender.chunks(BlockRun.all(grid));
    o.progress()
        .phase(o.verifyOnly() ? TransferProgress.Phase.READING : TransferProgress.Phase.SENDING);
    // A verify-only pass sends nothing: it must not count as data or zero bytes sent.
    sender.sendFirst(
        firstChunks,
        o.verifyOnly() ? Optional.empty() : Optional.of(destination.image()),
        stream,
        o.verifyOnly() ? new TransferStats() : stats);
    if (!o.verifyOnly()) {
      destination.image().flush();
    }
    Checksum inline =
        stream.isPresent()
            ? new Checksum(type, stream.get().finish(firstChunks.size()), range.length())
            : digests.orElseThrow().checksum();
    if (!o.verify()) {
      return new TransferResult(
          range, inline, false, stats.data().get(), stats.zero().get(), 0, 0, Optional.empty());
    }
    Verifier verifier = new Verifier(source, destination, range);
    Checksum proven = proof.isPresent() ? proof.get().checksum() : inline;
    int rounds = 0;
    long repaired = 0;
    while (true) {
      o.progress().phase(TransferProgress.Phase.VERIFYING);
      Optional<Verifier.Mismatch> m =
          range.length() == 0 ? Optional.empty() : verifier.verify(proven);
      if (m.isEmpty()) {
        break;
      }
      if (!o.repair() || rounds >= o.retries()) {
        throw m.get().error();
      }
      List<ByteRange> bad = Repairer.differingRanges(m.get().reference(), digests.orElseThrow());
      if (bad.isEmpty()) {
        throw m.get().error();
      }
      rounds++;
      List<BlockRun> runs = BlockRun.covering(grid, bad);
      repaired += runs.stream().mapToLong(BlockRun::blocks).sum();
      o.progress().phase(TransferProgress.Phase.REPAIRING);
      sender.send(sender.chunks(runs), Optional.of(destination.image()), Optional.empty(), stats);
      destination.image().flush();
      inline = stream.isPresent() ? verifier.afterRepair(inline) : digests.get().checksum();
      proven = proof.isPresent() ? verifier.afterRepair(proven) : inline;
    }
    if (o.expected().isPresent()) {
      verifier.checkExpected(o.expected().get(), inline);
    }
    return new TransferResult(
        range,
        inline,
        range.length() > 0,
        stats.data().get(),
        stats.zero().get(),
        rounds,
        repaired,
        range.length() > 0 ? Optional.of(proven) : Optional.empty());
  }

  /**
   * The list to record for daemons without checksum jobs, if a side has one: an imageio list (the
   * user's, when {@code type} is one; else imageio's default, BLAKE2b-256 over 4 MiB blocks), which
   * imageio's {@code /checksum} computes. Checked before anything is sent: a transfer that cannot
   * be verified fails here, naming why, rather than after writing.
   */
  private Optional<BlockDigestList> proofList(
      ChecksumType type, ByteRange range, Optional<Checksum> expected) throws IOException {
    List<ImageClient> without =
        java.util.stream.Stream.of(source.daemon(), destination.daemon())
            .flatMap(Optional::stream)
            .filter(d -> !d.capabilities().checksumJobs())
            .toList();
    if (without.isEmpty()) {
      return Optional.empty();
    }
    BlockHashList imageio =
        type instanceof BlockHashList b && b.construction() == BlockHashList.Construction.IMAGEIO
            ? b
            : (BlockHashList) ChecksumType.parse("imageio", java.util.OptionalLong.empty());
    for (ImageClient d : without) {
      String why = d.imageioChecksumRefusal(imageio, range);
      if (why == null && expected.isPresent() && !expected.get().type().equals(type)) {
        why = d.imageioChecksumRefusal(expected.get().type(), range);
      }
      if (why != null) {
        throw new ChecksumUnavailableException(d.describe() + " " + why);
      }
    }
    return imageio.equals(type) ? Optional.empty() : Optional.of(digestList(imageio, range));
  }

  /** The list the source's digests are recorded in; too many blocks name the larger choice. */
  private static BlockDigestList digestList(BlockHashList blocks, ByteRange range) {
    try {
      return new BlockDigestList(blocks, range);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (--checksum imageio)", e);
    }
  }
}
