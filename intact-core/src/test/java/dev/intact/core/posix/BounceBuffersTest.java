package dev.intact.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BounceBuffersTest {

  @Test
  void buffersInUseAreNeverShared() {
    List<MemorySegment> inUse = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      inUse.add(BounceBuffers.take());
    }
    assertThat(inUse.stream().map(MemorySegment::address).distinct()).hasSize(40);
    for (MemorySegment b : inUse) {
      assertThat(b.byteSize()).isEqualTo(BounceBuffers.SIZE);
      assertThat(b.address() % BounceBuffers.ALIGNMENT).as("O_DIRECT alignment").isZero();
      BounceBuffers.give(b);
    }
  }

  @Test
  void aGivenBackBufferIsReusedRatherThanAllocatedAgain() {
    MemorySegment first = BounceBuffers.take();
    BounceBuffers.give(first);
    List<MemorySegment> next = new ArrayList<>();
    // Other tests may have left idle buffers: drain up to the cap and look for ours.
    for (int i = 0; i < 17; i++) {
      next.add(BounceBuffers.take());
    }
    assertThat(next.stream().map(MemorySegment::address)).contains(first.address());
    next.forEach(BounceBuffers::give);
  }
}
