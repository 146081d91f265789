package dev.intact.core.flash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapRange;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.image.ByteRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded random trials with a destination that corrupts or drops writes: read-back catches every
 * fault, a transient fault is repaired by rewriting the range from the source, and a permanent one
 * exhausts the retries and fails naming its range.
 */
class FaultInjectionTest {
  private static final int TRIALS = 1000;
  private static final int BS = 4096;

  @Test
  void readBackCatchesEveryInjectedFault() throws Exception {
    Random seeds = new Random(20261122);
    int transientSeen = 0;
    int permanentSeen = 0;
    for (int t = 0; t < TRIALS; t++) {
      long seed = seeds.nextLong();
      Trial trial = new Trial(new Random(seed));
      String context = "trial " + t + " (seed " + seed + ")";
      FlashReport report = trial.run();

      Set<String> failed = new HashSet<>();
      report.failures().forEach(f -> failed.add(f.range().label()));
      assertThat(failed).as(context).isEqualTo(trial.expectedFailures);
      assertThat(report.succeeded()).as(context).isEqualTo(trial.expectedFailures.isEmpty());
      assertThat(report.retries()).as(context).isEqualTo(trial.expectedRetries);
      assertThat(report.rangesVerified())
          .as(context)
          .isEqualTo(trial.bmap.ranges().size() - trial.expectedFailures.size());
      assertThat(report.failures())
          .as(context)
          .allSatisfy(f -> assertThat(f.reason()).contains("reads back different"));
      // Every range not reported failed is right on the destination, whatever the faults.
      byte[] dest = trial.target.content();
      for (BmapRange r : trial.bmap.ranges()) {
        if (!trial.expectedFailures.contains(r.toString())) {
          ByteRange b = r.bytes(BS, trial.image.length);
          assertThat(Arrays.copyOfRange(dest, (int) b.start(), (int) b.end()))
              .as(context + " " + r)
              .isEqualTo(Arrays.copyOfRange(trial.image, (int) b.start(), (int) b.end()));
        }
      }
      transientSeen += trial.transientFaults;
      permanentSeen += trial.expectedFailures.size();
    }
    // The trials exercised both kinds of fault many times.
    assertThat(transientSeen).isGreaterThan(TRIALS / 4);
    assertThat(permanentSeen).isGreaterThan(TRIALS / 4);
  }

  /** One random tiny image, bmap, fault plan and flash. */
  private static final class Trial {
    final byte[] image;
    final Bmap bmap;
    final FaultyTarget target;
    final int retries;
    final Set<String> expectedFailures = new HashSet<>();
    int expectedRetries;
    int transientFaults;

    Trial(Random rnd) {
      int blocks = 1 + rnd.nextInt(24);
      int tail = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(BS - 1);
      image = new byte[(blocks - 1) * BS + (tail == 0 ? BS : tail)];
      rnd.nextBytes(image);
      HashAlgorithm alg = Algorithms.byName(rnd.nextBoolean() ? "sha256" : "md5");
      boolean checksums = rnd.nextInt(4) != 0;
      List<BmapRange> ranges = new ArrayList<>();
      int b = rnd.nextInt(3);
      while (b < blocks) {
        int last = Math.min(blocks - 1, b + rnd.nextInt(5));
        BmapRange r = BmapRange.of(b, last, null);
        ByteRange bytes = r.bytes(BS, image.length);
        ranges.add(
            BmapRange.of(
                b,
                last,
                checksums
                    ? alg.hash(Arrays.copyOfRange(image, (int) bytes.start(), (int) bytes.end()))
                    : null));
        b = last + 2 + rnd.nextInt(3);
      }
      bmap = Bmap.of(image.length, BS, alg, ranges);
      retries = rnd.nextInt(4);

      // The device is larger than the image, its bytes the complement of the image's, so that a
      // dropped write always shows, and so would any read of the tail past the image.
      byte[] initial = new byte[image.length + rnd.nextInt(2 * BS)];
      for (int i = 0; i < initial.length; i++) {
        initial[i] = (byte) ~(i < image.length ? image[i] : 0);
      }
      target = new FaultyTarget(initial);
      for (BmapRange r : ranges) {
        if (rnd.nextInt(10) < 4) {
          ByteRange bytes = r.bytes(BS, image.length);
          long at = bytes.start() + (long) (rnd.nextDouble() * bytes.length());
          int faultyPasses = 1 + rnd.nextInt(retries + 2);
          FaultyTarget.Kind kind =
              rnd.nextBoolean() ? FaultyTarget.Kind.CORRUPT : FaultyTarget.Kind.DROP;
          target.add(new FaultyTarget.Fault(bytes, at, kind, faultyPasses));
          if (faultyPasses > retries) {
            expectedFailures.add(r.toString());
            expectedRetries += retries;
          } else {
            expectedRetries += faultyPasses;
            transientFaults++;
          }
        }
      }
    }

    FlashReport run() throws Exception {
      FlashOptions options =
          FlashOptions.DEFAULTS
              .withRetries(retries)
              .withReadBack(FlashOptions.ReadBack.ON)
              .withChunks(BS, 3, BS);
      return new Flasher(options, FlashListener.NONE)
          .flash(new BytesSource(image), bmap, "trial.bmap", target);
    }
  }
}
