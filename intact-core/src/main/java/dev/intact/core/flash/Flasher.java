package dev.intact.core.flash;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flashes an image to a destination and proves it landed: plans the ranges ({@link FlashPlan}),
 * copies them ({@link CopyPass}) while reading written ones back ({@link ReadBackVerifier}), then
 * resends the ranges that differ, reading them from the source again, so a retry costs a re-read
 * rather than memory.
 */
public final class Flasher {
  private static final Logger log = LoggerFactory.getLogger(Flasher.class);

  private final FlashOptions options;
  private final FlashListener listener;

  public Flasher(FlashOptions options, FlashListener listener) {
    this.options = options;
    this.listener = listener;
  }

  /**
   * Flashes {@code source} to {@code target}: only the bmap's ranges when {@code bmap} is given,
   * else the whole image. A target that can be resized (a file) is given the image's size; one that
   * cannot (a device) must be large enough.
   *
   * @param bmapName how messages name the bmap
   * @return the report; range-level failures are in it
   * @throws IOException when the flash cannot go on (the source is truncated or corrupt, the target
   *     is too small or fails a write); the target is then incomplete
   */
  public FlashReport flash(ImageSource source, Bmap bmap, String bmapName, WritableImage target)
      throws IOException, InterruptedException {
    long startNanos = System.nanoTime();
    FlashPlan plan = FlashPlan.of(source, bmap, bmapName, target, options);
    FlashPlan.setImageSize(target, Math.max(plan.imageSize(), 0));
    plan.warnings().forEach(listener::warning);
    long total = plan.total();
    listener.phase(
        plan.readBack() ? "writing and verifying" : "writing",
        total < 0 ? -1 : plan.readBack() ? 2 * total : total);

    // Without a bmap a file grows as it is written and its zero tail appears only at the end, so
    // its read-back waits for the end; otherwise ranges are read back while later ones are written.
    ReadBackVerifier checker =
        plan.readBack()
            ? new ReadBackVerifier(target, options, listener, !plan.growsAsWritten())
            : null;
    CopyPass.Result first;
    try (SourceStream in = source.open()) {
      first =
          CopyPass.first(in, target, plan, options, listener, checker)
              .run(plan.hasBmap() ? plan.ranges() : null, plan.imageSize(), plan.checkSourceEnd());
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (checker != null) {
        checker.abort();
      }
      throw e;
    }
    long imageSize = bmap != null ? bmap.imageSize() : first.endPosition();
    List<FlashRange> ranges = plan.ranges();
    if (bmap == null) {
      FlashPlan.setImageSize(target, imageSize);
      ranges = List.copyOf(first.written().keySet());
    }
    List<RangeFailure> failures = new ArrayList<>(first.failures());
    if (first.stopped()) {
      Set<FlashRange> failed =
          failures.stream().map(RangeFailure::range).collect(Collectors.toSet());
      for (FlashRange r : ranges) {
        if (!first.written().containsKey(r) && !failed.contains(r)) {
          failures.add(new RangeFailure(r, "not written: the flash stopped at an earlier range"));
        }
      }
    }
    log.debug(
        "first pass done: {} ranges, {} bytes written in {} ms",
        first.written().size(),
        first.bytesWritten(),
        (System.nanoTime() - startNanos) / 1_000_000);
    target.flush();
    log.debug("fsync done at {} ms", (System.nanoTime() - startNanos) / 1_000_000);

    Verification v;
    if (checker == null) {
      v = Verification.atSource(first, options);
    } else {
      v = resendWhatDiffers(source, target, imageSize, first, checker.finish(), failures);
    }
    failures.sort(Comparator.comparingLong(f -> f.range().start()));
    return new FlashReport(
        source.name(),
        target.name(),
        imageSize,
        first.bytesWritten() + v.bytesRewritten(),
        ranges.size(),
        v.verified(),
        v.unverified(),
        plan.readBack(),
        v.retries(),
        failures,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /** What verification proved: ranges verified or (by request) not, and the rewrites it took. */
  private record Verification(int verified, int unverified, int retries, long bytesRewritten) {
    /** Without read-back: a range is verified when its source matched a bmap checksum. */
    static Verification atSource(CopyPass.Result first, FlashOptions options) {
      int verified = 0;
      int unverified = 0;
      for (FlashRange r : first.written().keySet()) {
        if (options.verifySource() && r.expected().isPresent()) {
          verified++;
        } else {
          unverified++;
        }
      }
      return new Verification(verified, unverified, 0, 0);
    }
  }

  /**
   * Resends the ranges that read back different, from the source read again, up to {@link
   * FlashOptions#retries} times; the ranges still different are added to {@code failures}.
   */
  private Verification resendWhatDiffers(
      ImageSource source,
      WritableImage target,
      long imageSize,
      CopyPass.Result first,
      List<RangeFailure> differing,
      List<RangeFailure> failures)
      throws IOException, InterruptedException {
    Map<FlashRange, HashCode> pending = first.written();
    int verified = 0;
    int retries = 0;
    long bytesRewritten = 0;
    for (int attempt = 0; ; attempt++) {
      verified += pending.size() - differing.size();
      if (differing.isEmpty()) {
        break;
      }
      if (attempt == options.retries()) {
        String suffix =
            options.retries() == 0
                ? " (no retries allowed)"
                : " (still wrong after " + options.retries() + " rewrites)";
        differing.forEach(f -> failures.add(f.withReason(f.reason() + suffix)));
        break;
      }
      retries += differing.size();
      List<FlashRange> again = differing.stream().map(RangeFailure::range).toList();
      listener.phase("rewriting", 2 * again.stream().mapToLong(r -> r.bytes().length()).sum());
      SourceStream in;
      try {
        in = source.open();
      } catch (SourceNotReopenableException e) {
        differing.forEach(f -> failures.add(f.withReason(f.reason() + "; " + e.getMessage())));
        break;
      }
      ReadBackVerifier recheck = new ReadBackVerifier(target, options, listener, true);
      CopyPass.Result rewrite;
      try (in) {
        rewrite =
            CopyPass.rewrite(in, target, options, listener, first.written(), recheck)
                .run(again, imageSize, false);
      } catch (IOException | RuntimeException | InterruptedException e) {
        recheck.abort();
        throw e;
      }
      bytesRewritten += rewrite.bytesWritten();
      for (RangeFailure f : rewrite.failures()) {
        failures.add(f.withReason("the source no longer matches what was first read from it"));
      }
      Set<FlashRange> failed =
          rewrite.failures().stream().map(RangeFailure::range).collect(Collectors.toSet());
      for (FlashRange r : again) {
        if (!rewrite.written().containsKey(r) && !failed.contains(r)) {
          failures.add(new RangeFailure(r, "not rewritten: the source changed"));
        }
      }
      target.flush();
      pending = rewrite.written();
      differing = recheck.finish();
    }
    return new Verification(verified, 0, retries, bytesRewritten);
  }
}
