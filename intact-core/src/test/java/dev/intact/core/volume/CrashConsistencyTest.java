package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Crash consistency, in process: random writes, zeroing and flushes on a tiny volume over {@link
 * CrashStore}, a crash at a random storage call (inside a write, a flush or a checkpoint), a reboot
 * that keeps a random subset of the unflushed sectors, then reopen. Every block must read without a
 * mismatch, as its content at the last acknowledged flush or as one of the writes after it; with
 * nothing written since an acknowledged flush, exactly as flushed. Seeded: a failure names its
 * seed. {@code -Dintact.crash.points=N} runs more.
 */
class CrashConsistencyTest {
  private static final int POINTS = Integer.getInteger("intact.crash.points", 1000);
  private static final int BLOCKS = 24;
  private static final int SEQ_BLOCKS = 160;

  @Test
  void everyCrashLeavesOldOrNewContentWithValidTagsAndNoLostAcknowledgedWrite() throws Exception {
    for (int seed = 0; seed < POINTS; seed++) {
      try {
        crashOnce(seed);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw new AssertionError("crash point seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * The direct-home path: long sequential whole-block writes into blocks that hold nothing (never
   * written, or trimmed and checkpointed), so their data goes home and only HOME records with tags
   * go to the journal, mixed with overwrites that must be journaled, trims and flushes; a crash at
   * a random storage call, including inside the home data write and the checkpoint that follows.
   */
  @Test
  void sequentialWritesStraightHomeSurviveEveryCrashWithOldOrNewContent() throws Exception {
    for (int seed = 0; seed < Math.max(1, POINTS / 4); seed++) {
      try {
        crashSequential(seed, false);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw new AssertionError("sequential crash point seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Requests longer than a WRITE record's 256 KiB (65 to 160 blocks of 4 KiB) into fresh space:
   * each is one home data write and one HOME record of up to 160 entries (format version 3), so a
   * crash tears that record's multi-sector header or the long data write under it.
   */
  @Test
  void requestsLongerThanAWriteRecordGoHomeAsOneRecordAndSurviveEveryCrash() throws Exception {
    for (int seed = 0; seed < Math.max(1, POINTS / 8); seed++) {
      try {
        crashSequential(seed, true);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw new AssertionError(
            "long-request crash point seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Whole-chunk overwrites (format version 4): chunks of 4 blocks, 2 or 3 spare chunks, so the
   * spares run out and checkpoints come every few requests; each overwrite of whole chunks goes to
   * a free chunk with a REMAP record, mixed with writes of parts of chunks (journaled, or home into
   * fresh space), sub-block writes, trims, zeroing, flushes and FUA writes. A crash at a random
   * storage call tears the data write to the free chunk, the REMAP record, or the checkpoint that
   * writes the chunk map.
   */
  @Test
  void wholeChunkOverwritesToSpareChunksSurviveEveryCrash() throws Exception {
    for (int seed = 0; seed < Math.max(1, POINTS / 4); seed++) {
      try {
        crashRemapping(seed);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw new AssertionError("chunk-remap crash point seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void crashRemapping(long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    int bs = random.nextBoolean() ? 512 : 4096;
    int cb = 4;
    int chunks = 8;
    int blocks = cb * chunks;
    VolumeOptions options =
        VolumeOptions.of((long) blocks * bs)
            .withBlockSize(bs)
            .withChunk(cb * bs)
            .withSpare((2L + random.nextInt(2)) * cb * bs)
            .withJournal(Geometry.minJournal(bs));
    CrashStore store = new CrashStore((int) options.geometry().storageSize());
    Volume v = Volume.create(store, "remap-crash-" + seed, options);
    Map<Long, List<byte[]>> states = new HashMap<>();
    for (long b = 0; b < blocks; b++) {
      states.put(b, new ArrayList<>(List.of(new byte[bs])));
    }
    store.crashAtCall(1 + random.nextInt(200));
    try {
      for (int op = 0; op < 120; op++) {
        int kind = random.nextInt(12);
        long pos;
        int length;
        if (kind < 6) { // whole chunks
          int c = random.nextInt(chunks);
          int n = 1 + random.nextInt(Math.min(3, chunks - c));
          pos = (long) c * cb * bs;
          length = n * cb * bs;
        } else if (kind < 8) { // part of a chunk, or across chunks unaligned
          long first = random.nextInt(blocks);
          int n = 1 + random.nextInt((int) Math.min(6, blocks - first));
          boolean sub = random.nextInt(3) == 0;
          length = sub ? 512 * (1 + random.nextInt(bs / 512)) : n * bs;
          pos = first * bs + (sub ? 512L * random.nextInt(bs / 512 - length / 512 + 1) : 0);
        } else if (kind < 10) {
          long first = random.nextInt(blocks);
          int n = 1 + random.nextInt((int) Math.min(2L * cb, blocks - first));
          for (long b = first; b < first + n; b++) {
            states.get(b).add(new byte[bs]);
          }
          if (random.nextBoolean()) {
            v.zero(first * bs, (long) n * bs);
          } else {
            v.zeroAllocated(first * bs, (long) n * bs);
          }
          continue;
        } else {
          v.flush();
          acknowledge(states);
          continue;
        }
        byte[] data = new byte[length];
        random.nextBytes(data);
        expectWrite(states, bs, pos, data);
        v.write(pos, data, 0, length);
        if (random.nextInt(3) == 0) {
          v.flush(); // a FUA write
          acknowledge(states);
        }
      }
      v.close();
      acknowledge(states);
    } catch (CrashStore.Crashed crashed) {
      // The process died here; what follows is the reboot.
    }
    verifyAfterReboot(store.crash(random), seed, bs, blocks, states);
  }

  private static void crashSequential(long seed, boolean longRequests) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    int bs = longRequests ? 4096 : random.nextBoolean() ? 512 : 4096;
    VolumeOptions options =
        VolumeOptions.of((long) SEQ_BLOCKS * bs)
            .withBlockSize(bs)
            .withJournal(Geometry.minJournal(bs));
    CrashStore store = new CrashStore((int) options.geometry().storageSize());
    Volume v = Volume.create(store, "seq-crash-" + seed, options);
    Map<Long, List<byte[]>> states = new HashMap<>();
    for (long b = 0; b < SEQ_BLOCKS; b++) {
      states.put(b, new ArrayList<>(List.of(new byte[bs])));
    }
    store.crashAtCall(1 + random.nextInt(120));
    long cursor = 0;
    try {
      for (int op = 0; op < 60; op++) {
        int kind = random.nextInt(10);
        if (kind < 6) {
          int n =
              longRequests
                  ? 65 + random.nextInt(SEQ_BLOCKS - 64)
                  : 1 + random.nextInt((int) Math.min(48, SEQ_BLOCKS - cursor));
          if (longRequests) {
            cursor = Math.min(cursor, SEQ_BLOCKS - n);
          }
          byte[] data = new byte[n * bs];
          random.nextBytes(data);
          expectWrite(states, bs, cursor * bs, data);
          v.write(cursor * bs, data, 0, data.length);
          cursor = (cursor + n) % SEQ_BLOCKS;
          if (random.nextInt(4) == 0) {
            v.flush();
            acknowledge(states);
          }
        } else if (kind < 8) {
          long first = random.nextInt(SEQ_BLOCKS);
          int n = 1 + random.nextInt((int) Math.min(64, SEQ_BLOCKS - first));
          for (long b = first; b < first + n; b++) {
            states.get(b).add(new byte[bs]);
          }
          v.zero(first * bs, (long) n * bs);
        } else {
          v.flush();
          acknowledge(states);
        }
      }
      v.close();
      acknowledge(states);
    } catch (CrashStore.Crashed crashed) {
      // The process died here; what follows is the reboot.
    }
    verifyAfterReboot(store.crash(random), seed, bs, SEQ_BLOCKS, states);
  }

  private static void crashOnce(long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    int bs = random.nextBoolean() ? 512 : 4096;
    TagAlgorithm alg = random.nextInt(4) == 0 ? TagAlgorithm.XXH3_64 : TagAlgorithm.CRC32C;
    VolumeOptions options =
        VolumeOptions.of((long) BLOCKS * bs)
            .withBlockSize(bs)
            .withTags(alg, null)
            .withJournal(Geometry.minJournal(bs));
    CrashStore store = new CrashStore((int) options.geometry().storageSize());
    Volume v = Volume.create(store, "crash-" + seed, options);
    // Per block: the states it may be in after a crash (index 0 = as of the last flush).
    Map<Long, List<byte[]>> states = new HashMap<>();
    for (long b = 0; b < BLOCKS; b++) {
      states.put(b, new ArrayList<>(List.of(new byte[bs])));
    }
    store.crashAtCall(1 + random.nextInt(400));
    try {
      for (int op = 0; op < 200; op++) {
        int kind = random.nextInt(10);
        long first = random.nextInt(BLOCKS);
        int n = 1 + random.nextInt((int) Math.min(6, BLOCKS - first));
        if (kind < 6) {
          boolean sub = bs == 4096 && random.nextInt(3) == 0;
          int length = sub ? 512 * (1 + random.nextInt(7)) : n * bs;
          long pos = first * bs + (sub ? 512L * random.nextInt(8 - length / 512 + 1) : 0);
          byte[] data = new byte[length];
          random.nextBytes(data);
          expectWrite(states, bs, pos, data);
          v.write(pos, data, 0, length);
          if (random.nextInt(5) == 0) {
            v.flush(); // a FUA write
            acknowledge(states);
          }
        } else if (kind < 8) {
          for (long b = first; b < first + n; b++) {
            states.get(b).add(new byte[bs]);
          }
          v.zero(first * bs, (long) n * bs);
        } else {
          v.flush();
          acknowledge(states);
        }
      }
      v.close();
      acknowledge(states);
    } catch (CrashStore.Crashed crashed) {
      // The process died here; what follows is the reboot.
    }
    verifyAfterReboot(store.crash(random), seed, bs, BLOCKS, states);
  }

  private static void verifyAfterReboot(
      byte[] after, long seed, int bs, int blocks, Map<Long, List<byte[]>> states)
      throws IOException {
    try (Volume reopened = Volume.open(new CrashStore(after), "rebooted-" + seed, true, null)) {
      byte[] block = new byte[bs];
      for (long b = 0; b < blocks; b++) {
        reopened.readFully(b * bs, block, 0, bs); // a mismatch here is a false one: fails
        List<byte[]> allowed = states.get(b);
        boolean match = false;
        for (byte[] s : allowed) {
          match |= Arrays.equals(s, block);
        }
        if (!match) {
          fail(
              "block "
                  + b
                  + " reads as none of its "
                  + allowed.size()
                  + " allowed states (the first is its content at the last acknowledged flush)");
        }
      }
      assertTrue(VolumeCheck.check(reopened).clean(), "check after the crash finds bad blocks");
    }
  }

  private static void expectWrite(Map<Long, List<byte[]>> states, int bs, long pos, byte[] data) {
    for (long b = pos / bs; b * bs < pos + data.length; b++) {
      List<byte[]> s = states.get(b);
      byte[] next = s.getLast().clone();
      long from = Math.max(pos, b * bs);
      long to = Math.min(pos + data.length, (b + 1) * bs);
      System.arraycopy(data, (int) (from - pos), next, (int) (from - b * bs), (int) (to - from));
      s.add(next);
    }
  }

  private static void acknowledge(Map<Long, List<byte[]>> states) {
    for (List<byte[]> s : states.values()) {
      byte[] last = s.getLast();
      s.clear();
      s.add(last);
    }
  }

  @Test
  void aFlushedWriteSurvivesACrashThatKeepsNothingElse() throws IOException {
    VolumeOptions options = VolumeOptions.of(16 * 4096L).withJournal(Geometry.minJournal(4096));
    CrashStore store = new CrashStore((int) options.geometry().storageSize());
    Volume v = Volume.create(store, "flushed", options);
    byte[] data = new byte[4096];
    Arrays.fill(data, (byte) 7);
    v.write(4096, data, 0, data.length);
    v.flush();
    v.write(8192, data, 0, data.length); // never flushed
    RandomGenerator keepNothing = () -> 0L; // nextBoolean() is always false
    byte[] after = store.crash(keepNothing);
    CrashStore nothingKept = new CrashStore(after);
    try (Volume reopened = Volume.open(nothingKept, "flushed", false, null)) {
      byte[] got = new byte[4096];
      reopened.readFully(4096, got, 0, got.length);
      assertEquals(7, got[100]);
    }
  }
}
