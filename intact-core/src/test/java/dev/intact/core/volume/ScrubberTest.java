package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intact.core.image.ByteRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrubbing names exactly the bad blocks, and a resumed scrub starts where the state says. */
class ScrubberTest {
  @TempDir Path dir;

  private static CrashStore volumeWithBadBlocks(VolumeOptions o, long... bad) throws IOException {
    CrashStore s = new CrashStore((int) o.geometry().storageSize());
    try (Volume v = Volume.create(s, "vol", o)) {
      byte[] all = new byte[(int) o.size()];
      java.util.Arrays.fill(all, (byte) 0x5a);
      v.write(0, all, 0, all.length);
    }
    for (long b : bad) {
      s.overwrite(o.geometry().dataOffset(b) + 10, new byte[] {1});
    }
    return s;
  }

  @Test
  void aScrubNamesEachRunOfBadBlocks() throws IOException {
    VolumeOptions o = VolumeOptions.of(600 * 4096L);
    CrashStore s = volumeWithBadBlocks(o, 3, 4, 300);
    try (Volume v = Volume.open(s, "vol", false, null)) {
      AtomicLong progress = new AtomicLong();
      Scrubber.Result r = new Scrubber(v, 4096, 0, null).scrub(false, progress::addAndGet);
      assertEquals(
          List.of(new ByteRange(3 * 4096, 5 * 4096), new ByteRange(300 * 4096, 301 * 4096)),
          r.bad());
      assertEquals(3, r.badBlocks(4096));
      assertEquals(o.size(), progress.get());
    }
  }

  @Test
  void aResumedScrubContinuesFromItsStateAndKeepsWhatItFoundBefore() throws IOException {
    VolumeOptions o = VolumeOptions.of(600 * 4096L);
    CrashStore s = volumeWithBadBlocks(o, 300);
    Path state = dir.resolve("vol.scrub");
    Files.writeString(
        state, "intact-scrub 1\nsize " + o.size() + "\nposition 1048576\nbad 4096 8192\n");
    try (Volume v = Volume.open(s, "vol", false, null)) {
      Scrubber.Result r = new Scrubber(v, 4096, 0, state).scrub(true, n -> {});
      assertEquals(1 << 20, r.resumedFrom());
      assertEquals(
          List.of(new ByteRange(4096, 8192), new ByteRange(300 * 4096, 301 * 4096)), r.bad());
      assertFalse(Files.exists(state), "a finished scrub leaves its state behind");
    }
  }

  @Test
  void aStateFileOfAnotherVolumeIsRefused() throws IOException {
    VolumeOptions o = VolumeOptions.of(64 * 4096L);
    CrashStore s = volumeWithBadBlocks(o);
    Path state = dir.resolve("other.scrub");
    Files.writeString(state, "intact-scrub 1\nsize 12345\nposition 0\n");
    try (Volume v = Volume.open(s, "vol", false, null)) {
      IOException e =
          assertThrows(
              IOException.class, () -> new Scrubber(v, 4096, 0, state).scrub(true, n -> {}));
      assertTrue(e.getMessage().contains("not the scrub state of this volume"), e.getMessage());
    }
  }
}
