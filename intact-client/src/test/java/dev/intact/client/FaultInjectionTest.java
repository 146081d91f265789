package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.Algorithms;
import dev.intact.server.TestDaemon;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomised faults in transit and at the destination, one per trial on KiB-sized images: every one
 * must be caught by verification, and {@code --repair} must fix every one. The default run has
 * 1,000 trials; {@code -Dintact.faultTrials=N} runs more (nightly).
 */
class FaultInjectionTest {
  static final int BLOCK = 4096;
  static final int TRIALS = Integer.getInteger("intact.faultTrials", 1000);
  static final BlockHashList TYPE =
      new BlockHashList(BlockHashList.Construction.BLKHASH, Algorithms.byName("sha256"), BLOCK);

  @TempDir static Path dir;
  static Faults faults = new Faults();
  static TestDaemon daemon;
  static TransferClient client;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start(dir.resolve("d"), faults, c -> c);
    client = new TransferClient(TestDaemon.trusting(daemon.server().certificate()));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    daemon.close();
  }

  enum Direction {
    UPLOAD,
    DOWNLOAD,
    COPY
  }

  /** The faults on the daemon's write side, which an upload meets. */
  static final List<Faults.Kind> UPLOAD_FAULTS =
      List.of(Faults.Kind.FLIP_WRITE, Faults.Kind.DROP_WRITE, Faults.Kind.DROP_ZERO);

  /** Image bytes of 1 byte to 40 KiB, made of random, zero and partly-zero blocks. */
  static byte[] content(Random r, int block) {
    byte[] b = new byte[1 + r.nextInt(10 * block)];
    for (int s = 0; s < b.length; s += block) {
      int e = Math.min(b.length, s + block);
      switch (r.nextInt(4)) {
        case 0 -> {}
        case 1 -> {
          int from = s + r.nextInt(e - s);
          for (int i = from; i < e; i++) {
            b[i] = (byte) r.nextInt();
          }
        }
        default -> {
          for (int i = s; i < e; i++) {
            b[i] = (byte) r.nextInt();
          }
        }
      }
    }
    return b;
  }

  /** Writes only the non-zero blocks, so zero blocks are holes. */
  static Path sparse(Path p, byte[] b) throws Exception {
    try (FileChannel ch =
        FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int s = 0; s < b.length; s += BLOCK) {
        int e = Math.min(b.length, s + BLOCK);
        if (!isZero(b, s, e)) {
          ch.write(ByteBuffer.wrap(b, s, e - s), s);
        }
      }
      ch.truncate(b.length);
      if (ch.size() < b.length) {
        try (var raf = new java.io.RandomAccessFile(p.toFile(), "rw")) {
          raf.setLength(b.length);
        }
      }
    }
    return p;
  }

  static boolean isZero(byte[] b, int s, int e) {
    for (int i = s; i < e; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** A byte inside a block the client sends as data (zero=false) or as a zero request. */
  static int pick(Random r, byte[] b, boolean zero, int block) {
    List<Integer> blocks = new ArrayList<>();
    for (int s = 0; s < b.length; s += block) {
      if (isZero(b, s, Math.min(b.length, s + block)) == zero) {
        blocks.add(s);
      }
    }
    if (blocks.isEmpty()) {
      return -1;
    }
    int s = blocks.get(r.nextInt(blocks.size()));
    return s + r.nextInt(Math.min(b.length, s + block) - s);
  }

  static Path garbage(Random r, int size) throws Exception {
    byte[] junk = new byte[size];
    r.nextBytes(junk);
    return Files.write(Files.createTempFile(daemon.root(), "dst", ".raw"), junk);
  }

  @Test
  void verificationCatchesEveryFaultAndRepairFixesIt() throws Exception {
    trials(TYPE, TRIALS, Long.getLong("intact.faultSeed", 20261122L));
  }

  /**
   * A whole-stream algorithm catches the same faults; --repair locates them with the default
   * block-hash list's digests, resends, and verifies with the whole-stream value again.
   */
  @Test
  void wholeStreamSha256CatchesEveryFaultAndRepairFixesIt() throws Exception {
    trials(
        ChecksumType.parse("sha256", OptionalLong.empty()),
        Math.max(20, TRIALS / 5),
        Long.getLong("intact.faultSeed", 20261122L) + 1);
  }

  static void trials(ChecksumType type, int count, long firstSeed) throws Exception {
    Random seeds = new Random(firstSeed);
    Map<Faults.Kind, Integer> caught = new EnumMap<>(Faults.Kind.class);
    int repaired = 0;
    String tag = type.name().replace(':', '-') + "-";
    // Zero runs are found per block of the checksum's block-hash list (the default one for a
    // whole-stream algorithm): images are cut in those blocks, so some are sent as zero requests.
    int block =
        ((BlockHashList) (type instanceof BlockHashList ? type : ChecksumType.DEFAULT)).blockSize();
    for (int trial = 0; trial < count; trial++) {
      long seed = seeds.nextLong();
      Random r = new Random(seed);
      byte[] b = content(r, block);
      Direction dirn = Direction.values()[r.nextInt(3)];
      Faults.Kind kind =
          switch (dirn) {
            case UPLOAD -> UPLOAD_FAULTS.get(r.nextInt(UPLOAD_FAULTS.size()));
            case DOWNLOAD -> Faults.Kind.FLIP_READ;
            case COPY -> r.nextBoolean() ? Faults.Kind.FLIP_READ : Faults.Kind.FLIP_WRITE;
          };
      long pos = pick(r, b, kind == Faults.Kind.DROP_ZERO, block);
      if (pos < 0) {
        trial--;
        continue;
      }
      Faults.Plan plan = new Faults.Plan(kind, pos, r.nextInt(8));
      boolean repair = trial % 2 == 1;
      String what =
          "trial "
              + trial
              + " seed "
              + seed
              + " "
              + dirn
              + " "
              + kind
              + " at "
              + pos
              + " of "
              + b.length
              + (repair ? " with --repair" : "");
      TransferOptions o =
          TransferOptions.defaults()
              .withChecksumType(type)
              .withConnections(1 + r.nextInt(3))
              .withRepair(repair, 2);

      Path src =
          sparse(
              Files.createTempFile(dir, "src", ".raw").resolveSibling(tag + "s" + trial + ".raw"),
              b);
      List<String> tickets = new ArrayList<>();
      Path out;
      faults.arm(plan);
      try {
        switch (dirn) {
          case UPLOAD -> {
            out = garbage(r, b.length);
            tickets.add(daemon.addTicket(out, b.length, true));
            if (repair) {
              TransferResult res = client.upload(src, List.of(daemon.imageUri(tickets.get(0))), o);
              assertThat(res.repairRounds()).as(what).isEqualTo(1);
            } else {
              assertThatThrownBy(
                      () -> client.upload(src, List.of(daemon.imageUri(tickets.get(0))), o))
                  .as(what)
                  .isInstanceOf(ChecksumMismatchException.class)
                  .hasMessageContaining("verification failed")
                  .hasMessageContaining(type.name());
            }
          }
          case DOWNLOAD -> {
            Path served = Files.copy(src, daemon.root().resolve(tag + "served" + trial + ".raw"));
            tickets.add(daemon.addTicket(served, b.length, false));
            out = dir.resolve(tag + "down" + trial + ".raw");
            if (repair) {
              TransferResult res =
                  client.download(List.of(daemon.imageUri(tickets.get(0))), out, o);
              assertThat(res.repairRounds()).as(what).isEqualTo(1);
            } else {
              Path o2 = out;
              assertThatThrownBy(
                      () -> client.download(List.of(daemon.imageUri(tickets.get(0))), o2, o))
                  .as(what)
                  .isInstanceOf(ChecksumMismatchException.class);
              assertThat(out).as("a failed download leaves no file: " + what).doesNotExist();
            }
          }
          default -> {
            Path served = Files.copy(src, daemon.root().resolve(tag + "served" + trial + ".raw"));
            tickets.add(daemon.addTicket(served, b.length, false));
            out = garbage(r, b.length);
            tickets.add(daemon.addTicket(out, b.length, true));
            List<URI> from = List.of(daemon.imageUri(tickets.get(0)));
            List<URI> to = List.of(daemon.imageUri(tickets.get(1)));
            if (repair) {
              TransferResult res = client.copy(from, to, o);
              assertThat(res.repairRounds()).as(what).isEqualTo(1);
            } else {
              assertThatThrownBy(() -> client.copy(from, to, o))
                  .as(what)
                  .isInstanceOf(ChecksumMismatchException.class);
            }
          }
        }
      } finally {
        faults.arm(null);
      }
      assertThat(plan.fired()).as("the fault fired: " + what).isTrue();
      if (repair) {
        assertThat(Files.readAllBytes(out)).as(what).isEqualTo(b);
        repaired++;
      }
      caught.merge(kind, 1, Integer::sum);
      for (String t : tickets) {
        daemon.control("DELETE", t, null);
      }
    }
    assertThat(caught.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
    assertThat(caught)
        .containsKeys(
            Faults.Kind.FLIP_WRITE,
            Faults.Kind.DROP_WRITE,
            Faults.Kind.DROP_ZERO,
            Faults.Kind.FLIP_READ);
    assertThat(repaired).isEqualTo(count / 2);
  }
}
