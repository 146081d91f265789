package dev.intact.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Long reads into native memory (how the NBD server reads a volume): many blocks at once, across
 * tag-area pages and the 1 MiB read chunks, mixing blocks at home, blocks still in the journal,
 * zeroed and never-written blocks, verified where they land.
 */
class VolumeSegmentReadTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int BS = 512;

  /** 5,000 blocks of 512 B: 2,500 KB, so three 1 MiB chunks, and tag entries on several pages. */
  private static final int BLOCKS = 5000;

  @TempDir Path dir;

  private static VolumeOptions options(TagAlgorithm alg) {
    return VolumeOptions.of((long) BLOCKS * BS)
        .withBlockSize(BS)
        .withTags(alg, alg.keyed() ? KEY : null);
  }

  private static byte[] key(TagAlgorithm alg) {
    return alg.keyed() ? KEY : null;
  }

  /**
   * Writes blocks 0–3999 (checkpointed home by a reopen), zeros 1000–1199, then rewrites 2100–2299
   * and zeros 3500–3519 in the open journal; 4000–4999 are never written. Returns the expected
   * content.
   */
  private static byte[] fill(Volume v) throws IOException {
    byte[] model = new byte[BLOCKS * BS];
    byte[] data = new byte[4000 * BS];
    new SplittableRandom(1).nextBytes(data);
    v.write(0, data, 0, data.length);
    System.arraycopy(data, 0, model, 0, data.length);
    v.zero(1000L * BS, 200L * BS);
    java.util.Arrays.fill(model, 1000 * BS, 1200 * BS, (byte) 0);
    return model;
  }

  private static void journalMore(Volume v, byte[] model) throws IOException {
    byte[] again = new byte[200 * BS];
    new SplittableRandom(2).nextBytes(again);
    v.write(2100L * BS, again, 0, again.length);
    System.arraycopy(again, 0, model, 2100 * BS, again.length);
    v.zero(3500L * BS, 20L * BS);
    java.util.Arrays.fill(model, 3500 * BS, 3520 * BS, (byte) 0);
  }

  private static byte[] readNative(Volume v, long position, int length) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment seg = arena.allocate(length);
      v.readFully(position, seg);
      return seg.toArray(ValueLayout.JAVA_BYTE);
    }
  }

  private static byte[] slice(byte[] model, long position, int length) {
    return java.util.Arrays.copyOfRange(model, (int) position, (int) position + length);
  }

  @ParameterizedTest
  @EnumSource(TagAlgorithm.class)
  void longReadsIntoNativeMemoryReturnEveryBlockAsWritten(TagAlgorithm alg) throws IOException {
    Path path = dir.resolve("v.vol");
    byte[] model;
    try (Volume v = Volume.create(path, options(alg))) {
      model = fill(v);
    }
    try (Volume v = Volume.open(path, true, key(alg))) {
      journalMore(v, model);
      // Whole volume; unaligned start and end inside blocks; a read across a tag page boundary
      // (crc32c: 819 entries per 4 KiB page) and a chunk boundary (2,048 blocks).
      long[][] reads = {
        {0, BLOCKS * BS},
        {100L * BS + 7, 4400 * BS - 100},
        {800L * BS, 40 * BS},
        {2040L * BS + 300, 20 * BS},
        {3990L * BS - 1, 20 * BS + 2},
        {4500L * BS + 1, 10},
      };
      for (long[] r : reads) {
        assertArrayEquals(
            slice(model, r[0], (int) r[1]),
            readNative(v, r[0], (int) r[1]),
            () -> "native read of " + r[1] + " at " + r[0]);
        byte[] heap = new byte[(int) r[1] + 3];
        v.readFully(r[0], heap, 3, (int) r[1]);
        assertArrayEquals(
            slice(model, r[0], (int) r[1]), java.util.Arrays.copyOfRange(heap, 3, heap.length));
      }
      assertEquals(0, v.mismatches());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TagAlgorithm.class,
      names = {"CRC32C", "HMAC_SHA256"})
  void holesInsideALongReadAreZerosWhateverTheDataAreaHolds(TagAlgorithm alg) throws IOException {
    Path path = dir.resolve("v.vol");
    byte[] model;
    Geometry g;
    try (Volume v = Volume.create(path, options(alg))) {
      g = v.geometry();
      model = fill(v);
    }
    // Garbage in the data area of a zeroed block and of a never-written one: their zero entries
    // say they are holes, so the data area is not what they read as.
    byte[] junk = new byte[BS];
    java.util.Arrays.fill(junk, (byte) 0x5a);
    try (LocalImage store = LocalImage.openWrite(path)) {
      store.write(g.dataOffset(1100), junk, 0, BS);
      store.write(g.dataOffset(4200), junk, 0, BS);
      store.flush();
    }
    try (Volume v = Volume.open(path, false, key(alg))) {
      assertArrayEquals(slice(model, 900L * BS, 3400 * BS), readNative(v, 900L * BS, 3400 * BS));
      assertArrayEquals(new byte[BS], readNative(v, 1100L * BS, BS));
      assertEquals(0, v.mismatches());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TagAlgorithm.class,
      names = {"CRC32C", "SHA256", "HMAC_SHA256"})
  void aCorruptBlockInTheMiddleOfALongReadFailsThatReadAndIsCounted(TagAlgorithm alg)
      throws IOException {
    Path path = dir.resolve("v.vol");
    byte[] model;
    Geometry g;
    try (Volume v = Volume.create(path, options(alg))) {
      g = v.geometry();
      model = fill(v);
    }
    try (LocalImage store = LocalImage.openWrite(path)) {
      byte[] one = new byte[1];
      store.readFully(g.dataOffset(2500) + 100, one, 0, 1);
      one[0] ^= 0x01;
      store.write(g.dataOffset(2500) + 100, one, 0, 1);
      store.flush();
    }
    try (Volume v = Volume.open(path, false, key(alg))) {
      ChecksumMismatchException e =
          assertThrows(ChecksumMismatchException.class, () -> readNative(v, 0, 4000 * BS));
      assertEquals(v.blockRange(2500), e.range().orElseThrow());
      assertEquals(1, v.mismatches());
      // Reads that stop just before it, or start just after it, are unaffected.
      assertArrayEquals(slice(model, 0, 2500 * BS), readNative(v, 0, 2500 * BS));
      assertArrayEquals(slice(model, 2501L * BS, 1499 * BS), readNative(v, 2501L * BS, 1499 * BS));
      assertThrows(ChecksumMismatchException.class, () -> readNative(v, 2499L * BS + 10, BS));
      assertEquals(2, v.mismatches());
    }
  }
}
