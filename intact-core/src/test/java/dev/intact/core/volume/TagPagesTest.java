package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tag page cache alone, over memory storage whose tag area holds known bytes. */
class TagPagesTest {
  // 8,192 blocks of crc32c: a tag area of 40,960 bytes, ten pages.
  private static final Geometry G = new Geometry(8192L * 512, 512, 5, Geometry.minJournal(512));

  private static CrashStore storeWithTagArea(byte[] area) {
    CrashStore s = new CrashStore((int) G.storageSize());
    s.overwrite(G.tagOffset(), area);
    return s;
  }

  private static byte[] area(long seed) {
    byte[] a = new byte[(int) G.tagAreaLength()];
    new SplittableRandom(seed).nextBytes(a);
    return a;
  }

  @Test
  void readsAcrossPageBoundariesAndTheAreaEndAsStored() throws IOException {
    byte[] area = area(1);
    TagPages t = new TagPages(storeWithTagArea(area), G);
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < 500; i++) {
      int at = r.nextInt(area.length);
      int n = r.nextInt(Math.min(3 * TagPages.PAGE, area.length - at) + 1);
      byte[] got = new byte[n];
      t.read(G.tagOffset() + at, got, 0, n);
      assertArrayEquals(Arrays.copyOfRange(area, at, at + n), got, "at " + at + " +" + n);
    }
    assertThrows(
        IOException.class, () -> t.read(G.tagOffset() + area.length - 2, new byte[3], 0, 3));
  }

  @Test
  void aRepeatedReadComesFromMemoryAndTheBudgetBoundsWhatIsKept() throws IOException {
    CrashStore s = storeWithTagArea(area(3));
    TagPages t = new TagPages(s, G, 4L * TagPages.PAGE); // four of the ten pages
    byte[] b = new byte[5];
    int before = s.reads();
    t.read(G.tagOffset() + 100, b, 0, 5);
    t.read(G.tagOffset() + 100, b, 0, 5);
    assertEquals(1, s.reads() - before, "the second read is a hit");
    for (int page = 0; page < 10; page++) { // every page once: only four stay
      t.read(G.tagOffset() + (long) page * TagPages.PAGE, b, 0, 5);
    }
    before = s.reads();
    for (int page = 0; page < 10; page++) {
      t.read(G.tagOffset() + (long) page * TagPages.PAGE, b, 0, 5);
    }
    assertEquals(10, s.reads() - before, "a cycle longer than the cache misses every time");
  }

  @Test
  void anInvalidatedPageIsReadAgainAndShowsTheNewBytes() throws IOException {
    byte[] area = area(4);
    CrashStore s = storeWithTagArea(area);
    TagPages t = new TagPages(s, G);
    byte[] got = new byte[(int) G.tagAreaLength()];
    t.read(G.tagOffset(), got, 0, got.length);
    byte[] changed = {9, 9, 9, 9, 9, 9, 9, 9};
    long at = G.tagOffset() + TagPages.PAGE - 4; // straddles pages 0 and 1
    s.overwrite(at, changed);
    t.invalidate(at, changed.length);
    System.arraycopy(changed, 0, area, TagPages.PAGE - 4, changed.length);
    int before = s.reads();
    t.read(G.tagOffset(), got, 0, got.length);
    assertArrayEquals(area, got);
    assertEquals(2, s.reads() - before, "only the two pages written are read again");
    // A range longer than the cache (a trim of most of a volume) forgets all it overlaps.
    s.overwrite(G.tagOffset(), new byte[area.length]);
    TagPages small = new TagPages(s, G, 2L * TagPages.PAGE);
    small.read(G.tagOffset() + 3L * TagPages.PAGE, got, 0, 10);
    small.invalidate(G.tagOffset(), area.length);
    s.overwrite(G.tagOffset() + 3L * TagPages.PAGE, changed);
    small.read(G.tagOffset() + 3L * TagPages.PAGE, got, 0, changed.length);
    assertArrayEquals(changed, Arrays.copyOf(got, changed.length));
  }
}
