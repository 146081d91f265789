package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.intact.core.testing.MemoryImage;
import dev.intact.core.volume.CheckpointIoTest.RecordingStore;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Spare-chunk writes reach the storage's writeback in stretches: adjacent chunks, in whatever order
 * the requests in flight finish, make one hint once the stretch is a batch long; a chunk elsewhere
 * hands over the stretch before it.
 */
class WritebackBatchTest {
  private static final long MIB = 1 << 20;

  private static RecordingStore store() {
    return new RecordingStore(new MemoryImage("s", 1 << 10));
  }

  @Test
  void adjacentChunksFinishingInAnyOrderMakeOneHintOfABatch() throws IOException {
    RecordingStore s = store();
    WritebackBatch w = new WritebackBatch(s, 4 * MIB);
    for (long c : new long[] {2, 1, 3}) {
      w.written(c * MIB, MIB);
    }
    assertEquals(0, s.hints.size(), "three chunks are less than a batch");
    w.written(0, MIB);
    assertEquals(1, s.hints.size());
    assertArrayEquals(new long[] {0, 4 * MIB}, s.hints.getFirst());
  }

  @Test
  void aChunkElsewhereHandsOverTheStretchBeforeIt() throws IOException {
    RecordingStore s = store();
    WritebackBatch w = new WritebackBatch(s, 4 * MIB);
    w.written(0, MIB);
    w.written(MIB, MIB);
    w.written(10 * MIB, MIB);
    assertEquals(1, s.hints.size());
    assertArrayEquals(new long[] {0, 2 * MIB}, s.hints.getFirst());
    for (long c = 11; c < 14; c++) {
      w.written(c * MIB, MIB);
    }
    assertEquals(2, s.hints.size());
    assertArrayEquals(new long[] {10 * MIB, 4 * MIB}, s.hints.get(1));
  }
}
