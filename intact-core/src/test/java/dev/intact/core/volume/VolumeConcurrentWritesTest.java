package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Several threads write one volume at once, so that whole-chunk overwrites (tagged and written to
 * their reserved spare chunk without the write lock, then committed by a REMAP record under it)
 * interleave with each other, with partial writes, trims, zeroing, flushes and checkpoints. The
 * volume is tiny (chunks of 4 blocks, 2 or 3 spare chunks, the smallest journal), so the spares run
 * out and checkpoints come every few requests, also between a write's reservation and its record.
 * Some chunks are shared: every thread writes them whole, with its own seeded content, so two
 * writes of the same chunk are often in flight together; each must end up holding exactly one of
 * the writes issued to it, never a mix. The other chunks each belong to one thread, which also
 * writes parts of them, trims and zeroes them, and knows exactly what they must hold. Afterwards
 * the volume checks clean and reads the same after a reopen, and after a crash of the storage once
 * everything was flushed. Seeded contents; the interleaving is the scheduler's, so each seed runs
 * many rounds.
 */
class VolumeConcurrentWritesTest {
  private static final int THREADS = 4;
  private static final int SHARED = 3;
  private static final int CB = 4;
  private static final int CHUNKS = SHARED + THREADS;
  private static final int ROUNDS = Integer.getInteger("intact.concurrent.rounds", 40);

  @Test
  void concurrentWholeChunkWritesLeaveEachChunkAsOneOfItsWritesAndTheVolumeConsistent()
      throws Exception {
    for (int seed = 0; seed < ROUNDS; seed++) {
      try {
        round(seed);
      } catch (AssertionError | Exception e) {
        throw new AssertionError("round seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  // Yielding only varies the interleavings explored; nothing relies on it.
  @SuppressWarnings("ThreadPriorityCheck")
  private static void round(long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    int bs = random.nextBoolean() ? 512 : 4096;
    int chunkBytes = CB * bs;
    VolumeOptions options =
        VolumeOptions.of((long) CHUNKS * chunkBytes)
            .withBlockSize(bs)
            .withChunk(chunkBytes)
            .withSpare((2L + random.nextInt(2)) * chunkBytes)
            .withJournal(Geometry.minJournal(bs));
    CrashStore store = new CrashStore((int) options.geometry().storageSize());
    store.beforeWrite(position -> Thread.yield());
    Volume v = Volume.create(store, "concurrent-" + seed, options);
    // Per shared chunk: every content written to it whole (zeros: never written).
    List<List<byte[]>> written = new ArrayList<>();
    for (int c = 0; c < SHARED; c++) {
      written.add(new CopyOnWriteArrayList<>(List.of(new byte[chunkBytes])));
    }
    byte[][] owned = new byte[THREADS][chunkBytes];
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int me = t;
        SplittableRandom mine = random.split();
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  work(v, mine, bs, me, written, owned[me]);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }
    byte[] content = expectContent(v, bs, written, owned);
    assertTrue(VolumeCheck.check(v).clean(), "check after the concurrent writes finds bad blocks");
    v.flush();
    byte[] crashed = store.crash(random); // power lost with everything flushed
    v.close();
    assertReopensAs(new CrashStore(crashed), "crashed", content);
    assertReopensAs(new CrashStore(store.bytes()), "closed", content);
  }

  /** One thread's requests: shared chunks whole, its own chunk in every way. */
  private static void work(
      Volume v, SplittableRandom random, int bs, int me, List<List<byte[]>> written, byte[] mine)
      throws IOException {
    int chunkBytes = CB * bs;
    long ownAt = (long) (SHARED + me) * chunkBytes;
    for (int op = 0; op < 60; op++) {
      int kind = random.nextInt(16);
      if (kind < 8) { // one or more shared chunks, whole
        int c = random.nextInt(SHARED);
        int n = 1 + random.nextInt(Math.min(2, SHARED - c));
        byte[] data = new byte[n * chunkBytes];
        random.nextBytes(data);
        for (int i = 0; i < n; i++) {
          written.get(c + i).add(Arrays.copyOfRange(data, i * chunkBytes, (i + 1) * chunkBytes));
        }
        v.write((long) c * chunkBytes, data, 0, data.length);
      } else if (kind < 10) { // its own chunk, whole
        random.nextBytes(mine);
        v.write(ownAt, mine, 0, chunkBytes);
      } else if (kind < 12) { // part of its own chunk: blocks, or bytes of one block
        int into;
        int length;
        if (random.nextBoolean()) {
          int first = random.nextInt(CB);
          into = first * bs;
          length = (1 + random.nextInt(CB - first)) * bs;
        } else {
          int block = random.nextInt(CB);
          int sectors = 1 + random.nextInt(bs / 512);
          into = block * bs + 512 * random.nextInt(bs / 512 - sectors + 1);
          length = sectors * 512;
        }
        byte[] data = new byte[length];
        random.nextBytes(data);
        System.arraycopy(data, 0, mine, into, length);
        v.write(ownAt + into, data, 0, length);
      } else if (kind < 14) { // trim or zero blocks of its own chunk
        int first = random.nextInt(CB);
        int n = 1 + random.nextInt(CB - first);
        Arrays.fill(mine, first * bs, (first + n) * bs, (byte) 0);
        if (random.nextBoolean()) {
          v.zero(ownAt + (long) first * bs, (long) n * bs);
        } else {
          v.zeroAllocated(ownAt + (long) first * bs, (long) n * bs);
        }
      } else if (kind < 15) {
        v.flush();
      } else {
        v.recordScrub(op, 0); // a checkpoint at any moment of the others' writes
      }
    }
  }

  /**
   * Checks every chunk against what was written to it and returns the volume's content: each shared
   * chunk exactly one whole write (or zeros), each owned chunk exactly its thread's model.
   */
  private static byte[] expectContent(Volume v, int bs, List<List<byte[]>> written, byte[][] owned)
      throws IOException {
    int chunkBytes = CB * bs;
    byte[] content = new byte[CHUNKS * chunkBytes];
    v.readFully(0, content, 0, content.length); // a mismatch here fails the test
    for (int c = 0; c < SHARED; c++) {
      byte[] got = Arrays.copyOfRange(content, c * chunkBytes, (c + 1) * chunkBytes);
      if (written.get(c).stream().noneMatch(w -> Arrays.equals(w, got))) {
        fail(
            "shared chunk "
                + c
                + " holds none of the "
                + written.get(c).size()
                + " contents written to it whole");
      }
    }
    for (int t = 0; t < THREADS; t++) {
      int at = (SHARED + t) * chunkBytes;
      assertArrayEquals(
          owned[t],
          Arrays.copyOfRange(content, at, at + chunkBytes),
          "thread " + t + "'s own chunk");
    }
    return content;
  }

  private static void assertReopensAs(CrashStore store, String what, byte[] content)
      throws IOException {
    try (Volume reopened = Volume.open(store, what, true, null)) {
      byte[] got = new byte[content.length];
      reopened.readFully(0, got, 0, got.length);
      assertArrayEquals(content, got, what + ": reopened content");
      assertTrue(VolumeCheck.check(reopened).clean(), what + ": check after reopen");
    }
  }

  /**
   * A whole-chunk overwrite whose data write to the spare chunk fails gives its slot back: the next
   * overwrite takes the same slot (with one spare chunk, there is no other) instead of being
   * journaled because the slot stayed reserved for a write that will never append.
   */
  @Test
  void aFailedDataWriteToASpareChunkGivesTheSlotBack() throws IOException {
    int bs = 4096;
    VolumeOptions options = fourChunksOneSpare(bs);
    Geometry g = options.geometry();
    CrashStore store = new CrashStore((int) g.storageSize());
    byte[] first = filled(CB * bs, 1);
    byte[] last = filled(CB * bs, 3);
    try (Volume v = Volume.create(store, "failing", options)) {
      v.write(0, first, 0, first.length); // fresh space: home
      v.flush();
      store.crashAtCall(1); // the next storage call, the data write to the spare chunk, fails
      byte[] lost = filled(CB * bs, 2);
      assertThrows(IOException.class, () -> v.write(0, lost, 0, lost.length));
      v.write(0, last, 0, last.length);
      assertArrayEquals(last, store.read(g.chunkOffset(g.chunks()), last.length), "spare chunk");
      byte[] got = new byte[last.length];
      v.readFully(0, got, 0, got.length);
      assertArrayEquals(last, got);
      assertTrue(VolumeCheck.check(v).clean());
    }
  }

  /**
   * Closing while a whole-chunk write is writing its data to a spare chunk (without the lock) waits
   * for it: the write appends its record, the close's checkpoint makes it durable, and only then is
   * the storage closed.
   */
  @Test
  void closeWaitsForAWholeChunkWriteInFlightAndMakesItDurable() throws Exception {
    int bs = 4096;
    VolumeOptions options = fourChunksOneSpare(bs);
    Geometry g = options.geometry();
    CrashStore store = new CrashStore((int) g.storageSize());
    Volume v = Volume.create(store, "closing", options);
    v.write(0, filled(CB * bs, 1), 0, CB * bs);
    byte[] data = filled(CB * bs, 2);
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    long spare = g.chunkOffset(g.chunks());
    store.beforeWrite(
        position -> {
          if (position == spare) {
            writing.countDown();
            try {
              proceed.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    Thread.State closing;
    try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
      Future<?> write =
          threads.submit(
              () -> {
                v.write(0, data, 0, data.length);
                return null;
              });
      writing.await();
      Thread closer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      v.close();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
      try {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (closer.getState() != Thread.State.WAITING
            && closer.getState() != Thread.State.TERMINATED
            && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        closing = closer.getState();
      } finally {
        proceed.countDown();
      }
      write.get();
      closer.join();
    }
    assertEquals(Thread.State.WAITING, closing, "close waits for the write in flight");
    RandomGenerator keepNothingUnflushed = () -> 0L;
    assertReopensAs(new CrashStore(store.crash(keepNothingUnflushed)), "closed", withTail(data, g));
  }

  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /** {@code head} followed by zeros up to the volume's size. */
  private static byte[] withTail(byte[] head, Geometry g) {
    return Arrays.copyOf(head, (int) g.size());
  }

  /** A volume of four chunks of {@code CB} blocks of {@code bs} bytes, with one spare chunk. */
  private static VolumeOptions fourChunksOneSpare(int bs) {
    return VolumeOptions.of(4L * CB * bs)
        .withBlockSize(bs)
        .withChunk(CB * bs)
        .withSpare((long) CB * bs);
  }
}
