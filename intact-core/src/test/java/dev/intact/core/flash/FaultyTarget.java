package dev.intact.core.flash;

import dev.intact.core.image.ByteRange;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A target that corrupts or silently drops the write covering a chosen byte of chosen ranges, in
 * the first {@code faultyPasses} passes over each such range (each pass writes that byte once,
 * whatever order the writers write the range's chunks in). {@code faultyPasses} larger than the
 * retries makes a permanent fault.
 */
final class FaultyTarget extends MemoryTarget {

  enum Kind {
    CORRUPT,
    DROP
  }

  record Fault(ByteRange range, long at, Kind kind, int faultyPasses) {}

  private final Map<Long, Fault> faultsByStart = new HashMap<>();
  private final Map<Long, Integer> passes = new HashMap<>();
  int faultsInjected;

  FaultyTarget(byte[] initial) {
    super(true, initial);
  }

  void add(Fault f) {
    faultsByStart.put(f.range().start(), f);
  }

  @Override
  public synchronized void write(long position, byte[] src, int offset, int length)
      throws IOException {
    Fault hit = null;
    for (Fault f : faultsByStart.values()) {
      if (f.at() >= position && f.at() < position + length) {
        hit = f;
      }
    }
    if (hit != null && passes.merge(hit.range().start(), 1, Integer::sum) <= hit.faultyPasses()) {
      faultsInjected++;
      if (hit.kind() == Kind.DROP) {
        return;
      }
      byte[] copy = src.clone();
      int i = offset + (int) (hit.at() - position);
      copy[i] = (byte) ~copy[i];
      super.write(position, copy, offset, length);
      return;
    }
    super.write(position, src, offset, length);
  }
}
