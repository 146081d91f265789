package dev.intact.core.flash;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.WritableImage;
import dev.intact.core.pipeline.Channel;
import dev.intact.core.pipeline.InOrder;
import dev.intact.core.pipeline.Pipeline;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One pass of copying ranges from the source to the destination, as a {@link Pipeline}: a reader
 * fills fixed-size buffers from the source, a hasher digests each range, {@link #WRITERS} writers
 * write them (so the disk always has the next write queued), and the calling thread records each
 * range once all of it is written, in the source's order. Memory is {@code chunkSize * buffers}
 * whatever the range sizes: a range is never held whole.
 *
 * <p>The buffers are native memory aligned for O_DIRECT: a raw source file is read into them with
 * pread, both digests read them where they lie, and {@link WritableImage#writeDirect} hands them to
 * the destination without a copy into the page cache. Copying into the page cache was the largest
 * CPU cost of a flash (more than SHA-256), and the read-back reads the medium anyway.
 *
 * <p>The hasher digests each range twice over the same buffers: with the bmap's algorithm to verify
 * the source, and with {@link CopyDigest} to compare the read-back with. A range whose source is
 * wrong stops the pass: later ranges are not written.
 */
final class CopyPass {
  /** Without a bmap, all-zero blocks of this size are not written to a sparse destination. */
  private static final int ZERO_BLOCK = 4096;

  /** What a block is compared with to tell it is all zero (never written). */
  private static final MemorySegment ZERO = MemorySegment.ofArray(new byte[ZERO_BLOCK]);

  /**
   * Writes in flight at once. With one, the disk idles between a write's completion and the next
   * write's submission, and one chunk is all its queue ever holds.
   */
  private static final int WRITERS = 2;

  /** A chunk and its place in the order the source was read in. */
  private record Numbered(long seq, Chunk chunk) {}

  /** Buffers start on this boundary, the largest O_DIRECT alignment a device asks for. */
  static final int BUFFER_ALIGNMENT = 4096;

  /**
   * What a pass did.
   *
   * @param written each range written, with its copy digest (null when nothing reads it back)
   * @param failures the ranges whose source was wrong
   * @param stopped whether a failure stopped the pass before its end
   * @param endPosition where the source was when the pass ended
   */
  record Result(
      Map<FlashRange, HashCode> written,
      List<RangeFailure> failures,
      boolean stopped,
      long bytesWritten,
      long endPosition) {}

  /**
   * What a pass checks each range's source against, and whether it leaves zero blocks unwritten.
   *
   * @param sourceAlg the bmap's algorithm, or null when nothing is checked against the bmap
   * @param expected the bmap's checksum of a range
   * @param expectedCopy the copy digest a range had when it was first read
   */
  private record Checks(
      HashAlgorithm sourceAlg,
      Function<FlashRange, Optional<HashCode>> expected,
      Function<FlashRange, Optional<HashCode>> expectedCopy,
      boolean skipZeros) {}

  private final SourceStream in;
  private final WritableImage target;
  private final FlashOptions options;
  private final FlashListener listener;
  private final Checks checks;
  private final ReadBackVerifier checker;
  private final Pipeline pipeline = new Pipeline("intact-flash");
  private volatile boolean stop;

  private final Map<FlashRange, HashCode> written = new LinkedHashMap<>();
  private final List<RangeFailure> failures = new ArrayList<>();
  private boolean stopped;
  private final AtomicLong bytesWritten = new AtomicLong();
  private volatile long endPosition;

  private CopyPass(
      SourceStream in,
      WritableImage target,
      FlashOptions options,
      FlashListener listener,
      Checks checks,
      ReadBackVerifier checker) {
    this.in = in;
    this.target = target;
    this.options = options;
    this.listener = listener;
    this.checks = checks;
    this.checker = checker;
  }

  /**
   * The first pass: each range is checked against the bmap's checksum (when the plan verifies the
   * source) and handed to {@code checker} (if any) once written.
   */
  static CopyPass first(
      SourceStream in,
      WritableImage target,
      FlashPlan plan,
      FlashOptions options,
      FlashListener listener,
      ReadBackVerifier checker) {
    Checks checks =
        new Checks(
            plan.sourceAlgorithm(),
            r -> options.verifySource() ? r.expected() : Optional.empty(),
            r -> Optional.empty(),
            plan.growsAsWritten());
    return new CopyPass(in, target, options, listener, checks, checker);
  }

  /**
   * A rewrite of ranges that read back wrong: the source must read as it did the first time ({@code
   * firstDigests}), and {@code checker} reads the rewritten ranges back.
   */
  static CopyPass rewrite(
      SourceStream in,
      WritableImage target,
      FlashOptions options,
      FlashListener listener,
      Map<FlashRange, HashCode> firstDigests,
      ReadBackVerifier checker) {
    Checks checks =
        new Checks(
            null, r -> Optional.empty(), r -> Optional.ofNullable(firstDigests.get(r)), false);
    return new CopyPass(in, target, options, listener, checks, checker);
  }

  /**
   * Runs the pass.
   *
   * @param ranges the ranges, ascending; null to cut the whole image into segments
   * @param imageSize the size the image must have, or -1 if unknown
   * @param checkEnd read the source to its end and check its size (and compressed trailer)
   * @throws IOException if the source cannot be read or the destination written
   */
  Result run(List<FlashRange> ranges, long imageSize, boolean checkEnd)
      throws IOException, InterruptedException {
    Channel<MemorySegment> pool = pipeline.pool(buffers(options));
    Channel<Chunk> toHasher = pipeline.channel(options.buffers() + 1);
    Channel<Numbered> toWriter = pipeline.channel(options.buffers() + 1);
    Channel<Numbered> done = pipeline.channel(options.buffers() + 1);
    pipeline.start(
        "reader",
        toHasher,
        () -> {
          if (ranges == null) {
            readSegments(pool, toHasher);
          } else {
            readRanges(ranges, imageSize, checkEnd, pool, toHasher);
          }
          endPosition = in.position();
        });
    pipeline.start("hasher", toWriter, () -> hash(toHasher, toWriter));
    AtomicInteger writing = new AtomicInteger(WRITERS);
    for (int i = 0; i < WRITERS; i++) {
      pipeline.start(
          "writer-" + i,
          null,
          () -> {
            write(toWriter, pool, done);
            if (writing.decrementAndGet() == 0) {
              done.close();
            }
          });
    }
    try {
      pipeline.run(() -> record(done));
    } catch (IOException | RuntimeException | InterruptedException e) {
      stopped = true;
      throw e;
    }
    return new Result(
        Collections.unmodifiableMap(written),
        List.copyOf(failures),
        stopped,
        bytesWritten.get(),
        endPosition);
  }

  private void readRanges(
      List<FlashRange> ranges,
      long imageSize,
      boolean checkEnd,
      Channel<MemorySegment> pool,
      Channel<Chunk> out)
      throws IOException, InterruptedException {
    for (FlashRange r : ranges) {
      if (stop) {
        return;
      }
      in.skipTo(r.start(), imageSize);
      long pos = r.start();
      while (pos < r.end() && !stop) {
        MemorySegment buf = pool.take();
        int n = (int) Math.min(buf.byteSize(), r.end() - pos);
        in.readFully(buf.asSlice(0, n), imageSize);
        out.put(new Chunk(pos, buf, n, pos + n == r.end() ? r : null));
        pos += n;
      }
    }
    if (checkEnd && !stop) {
      long size = in.drain();
      if (size != imageSize) {
        throw new ImageSizeMismatchException(in.name(), size, imageSize, "the bmap");
      }
    }
  }

  /** Without a bmap: the whole image, cut into segments that are verified and retried alone. */
  private void readSegments(Channel<MemorySegment> pool, Channel<Chunk> out)
      throws IOException, InterruptedException {
    long segment = options.segmentSize();
    int index = 0;
    long pos = 0;
    long segStart = 0;
    boolean eof = false;
    while (!eof && !stop) {
      MemorySegment buf = pool.take();
      int want = (int) Math.min(buf.byteSize(), segStart + segment - pos);
      int n = 0;
      while (n < want) {
        int r = in.read(buf.asSlice(n, want - n));
        if (r < 0) {
          eof = true;
          break;
        }
        n += r;
      }
      pos += n;
      FlashRange done = null;
      if ((pos == segStart + segment || eof) && pos > segStart) {
        done = FlashRange.segment(index++, segStart, pos);
        segStart = pos;
      }
      out.put(new Chunk(pos - n, buf, n, done));
    }
  }

  private void hash(Channel<Chunk> in, Channel<Numbered> out) throws InterruptedException {
    Hasher source = checks.sourceAlg() == null ? null : checks.sourceAlg().newHasher();
    // Without a read-back nothing compares copies: spare the CPU.
    Hasher copy = checker == null ? null : CopyDigest.INSTANCE.newHasher();
    long seq = 0;
    Chunk c;
    while ((c = in.take()) != null) {
      if (source != null) {
        source.update(c.data().asByteBuffer());
      }
      if (copy != null) {
        copy.update(c.data().asByteBuffer());
      }
      if (c.completed() != null) {
        HashCode digest = copy == null ? null : copy.finish();
        RangeFailure problem = sourceProblem(c.completed(), source, digest);
        if (problem != null) {
          stop = true;
        }
        c = c.withDigest(digest, problem);
      }
      out.put(new Numbered(seq++, c));
    }
  }

  /** Why the source of a range just hashed is wrong, or null if it is not. */
  private RangeFailure sourceProblem(FlashRange r, Hasher source, HashCode copyDigest) {
    if (source != null) {
      HashCode sum = source.finish();
      Optional<HashCode> want = checks.expected().apply(r);
      if (want.isPresent() && !want.get().equals(sum)) {
        return RangeFailure.mismatch(
            r,
            "the source does not match its checksum ("
                + checks.sourceAlg().name()
                + " "
                + sum
                + ", expected "
                + want.get()
                + ")",
            new ChecksumMismatchException(
                in.name(), r.bytes(), checks.sourceAlg().name(), want.get().toHex(), sum.toHex()));
      }
    }
    Optional<HashCode> again = checks.expectedCopy().apply(r);
    if (again.isPresent() && !again.get().equals(copyDigest)) {
      return RangeFailure.mismatch(
          r,
          "the source reads differently than the first time",
          new ChecksumMismatchException(
              in.name(),
              r.bytes(),
              CopyDigest.INSTANCE.name(),
              again.get().toHex(),
              copyDigest == null ? "(not hashed)" : copyDigest.toHex()));
    }
    return null;
  }

  /** One of the {@link #WRITERS}: writes chunks in whatever order they come to it. */
  private void write(Channel<Numbered> in, Channel<MemorySegment> pool, Channel<Numbered> out)
      throws IOException, InterruptedException {
    Numbered n;
    while ((n = in.take()) != null) {
      if (!stop && n.chunk().length() > 0) {
        writeChunk(n.chunk());
      }
      pool.put(n.chunk().buf());
      out.put(n);
    }
  }

  /**
   * The last stage, on the calling thread: takes the written chunks back into the order they were
   * read in, and records each range once all of its chunks are written, so a range is never read
   * back while a part of it is still being written, and nothing after a failed range counts.
   */
  private void record(Channel<Numbered> in) throws InterruptedException {
    InOrder<Chunk> inOrder = new InOrder<>();
    Numbered n;
    while ((n = in.take()) != null) {
      for (Chunk c : inOrder.add(n.seq(), n.chunk())) {
        record(c);
      }
    }
  }

  private void record(Chunk c) throws InterruptedException {
    listener.progress(c.length());
    if (c.completed() != null && !stopped) {
      if (c.problem() != null) {
        failures.add(c.problem());
        stop = true;
        stopped = true;
      } else {
        written.put(c.completed(), c.digest());
        if (checker != null) {
          checker.submit(c.completed(), c.digest());
        }
      }
    }
  }

  private void writeChunk(Chunk c) throws IOException {
    if (!checks.skipZeros()) {
      target.writeDirect(c.position(), c.data());
      bytesWritten.addAndGet(c.length());
      return;
    }
    // Without a bmap, a sparse file destination stays sparse: all-zero blocks are not written.
    int runStart = -1;
    for (int off = 0; off < c.length(); off += ZERO_BLOCK) {
      int len = Math.min(ZERO_BLOCK, c.length() - off);
      boolean zero = MemorySegment.mismatch(c.buf(), off, off + len, ZERO, 0, len) < 0;
      if (!zero && runStart < 0) {
        runStart = off;
      } else if (zero && runStart >= 0) {
        target.writeDirect(c.position() + runStart, c.buf().asSlice(runStart, off - runStart));
        bytesWritten.addAndGet(off - runStart);
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      target.writeDirect(c.position() + runStart, c.buf().asSlice(runStart, c.length() - runStart));
      bytesWritten.addAndGet(c.length() - runStart);
    }
  }

  /**
   * {@code options.buffers()} native buffers of {@code chunkSize} bytes, aligned for O_DIRECT,
   * freed by the garbage collector once no stage holds them (a stage still stopping after a failure
   * may).
   */
  static List<MemorySegment> buffers(FlashOptions options) {
    Arena arena = Arena.ofAuto();
    List<MemorySegment> buffers = new ArrayList<>();
    for (int i = 0; i < options.buffers(); i++) {
      buffers.add(arena.allocate(options.chunkSize(), BUFFER_ALIGNMENT));
    }
    return buffers;
  }
}
