package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashCode;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A list recorded block by block equals the engine's value over the same bytes, and the ranges it
 * reports as differing are exactly the blocks that differ, however the other side's digests are
 * batched.
 */
class BlockDigestListPropertiesTest {

  @Provide
  Arbitrary<BlockHashList> types() {
    return Combinators.combine(
            Arbitraries.of(BlockHashList.Construction.values()),
            Arbitraries.of("sha256", "sha1", "blake2b-256", "xxh64", "crc32c"),
            Arbitraries.integers().between(0, 3))
        .as(
            (construction, inner, k) ->
                new BlockHashList(
                    construction,
                    Algorithms.byName(inner),
                    construction.minBlockSize() + k * 4096));
  }

  /** Bytes of random data and zero runs, some of them whole blocks. */
  private static byte[] bytes(long seed, int length) {
    Random r = new Random(seed);
    byte[] b = new byte[length];
    for (int at = 0; at < length; ) {
      int run = Math.min(length - at, 1 + r.nextInt(20_000));
      if (r.nextBoolean()) {
        for (int i = at; i < at + run; i++) {
          b[i] = (byte) r.nextInt();
        }
      }
      at += run;
    }
    return b;
  }

  private static BlockDigestList record(BlockHashList type, byte[] bytes, long start) {
    BlockDigestList list = new BlockDigestList(type, new ByteRange(start, start + bytes.length));
    Hasher hasher = type.inner().newHasher();
    BlockGrid grid = list.grid();
    for (int i = 0; i < grid.blocks(); i++) {
      ByteRange block = grid.block(i);
      int off = (int) (block.start() - start);
      int len = (int) block.length();
      if (Zeros.isZero(bytes, off, len)) {
        list.zero(i);
      } else {
        list.hash(i, hasher, bytes, off, len);
      }
    }
    return list;
  }

  @Property(tries = 60)
  void aRecordedListEqualsTheEnginesValue(
      @ForAll("types") BlockHashList type,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3 << 20) int length,
      @ForAll @IntRange(min = 0, max = 8) int startBlocks)
      throws IOException {
    byte[] bytes = bytes(seed, length);
    BlockDigestList list = record(type, bytes, (long) startBlocks * type.blockSize());

    Checksum engine =
        ChecksumEngine.withThreads(2)
            .compute(new ByteArrayInputStream(bytes), type, ProgressListener.NONE);

    assertThat(list.checksum()).isEqualTo(engine);
    assertThat(list.checksum().value()).isEqualTo(NaiveChecksum.of(type, bytes));
  }

  @Property(tries = 200)
  void differingRangesAreExactlyTheBlocksThatDiffer(
      @ForAll @IntRange(min = 0, max = 300) int blocks,
      @ForAll @IntRange(min = 0, max = 4095) int shortTail,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 70) int batch) {
    BlockHashList type =
        new BlockHashList(BlockHashList.Construction.BLKHASH, Algorithms.byName("sha256"), 4096);
    long length = Math.max(0, (long) blocks * 4096 - (blocks > 0 ? shortTail : 0));
    ByteRange range = new ByteRange(8192, 8192 + length);
    Random r = new Random(seed);
    BlockDigestList mine = new BlockDigestList(type, range);
    int n = mine.grid().blocks();
    List<HashCode> theirs = new ArrayList<>();
    Set<Integer> changed = new TreeSet<>();
    double rate = r.nextDouble();
    for (int i = 0; i < n; i++) {
      byte[] d = new byte[32];
      r.nextBytes(d);
      mine.put(i, HashCode.of(d));
      if (r.nextDouble() < rate) {
        d[r.nextInt(32)] ^= (byte) (1 << r.nextInt(8));
        changed.add(i);
      }
      theirs.add(HashCode.of(d));
    }

    List<ByteRange> found = new ArrayList<>();
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      List<ByteRange> part =
          mine.differingRanges(
              BlockDigestList.of(type, mine.grid().span(from, to), theirs.subList(from, to)));
      for (int k = 1; k < part.size(); k++) {
        assertThat(part.get(k).start())
            .as("ranges of one answer are ordered and never touch")
            .isGreaterThan(part.get(k - 1).end());
      }
      found.addAll(part);
    }

    Set<Integer> reported = new TreeSet<>();
    for (ByteRange d : found) {
      assertThat((d.start() - range.start()) % 4096).as("%s starts on a block", d).isZero();
      for (int i = mine.grid().blockOf(d.start());
          i < n && mine.grid().block(i).start() < d.end();
          i++) {
        reported.add(i);
      }
    }
    assertThat(reported).isEqualTo(changed);
    assertThat(found.stream().mapToLong(ByteRange::length).sum())
        .isEqualTo(changed.stream().mapToLong(i -> mine.grid().block(i).length()).sum());
  }

  @Test
  void listsOfOtherBlocksAreRefused() {
    BlockHashList type =
        new BlockHashList(BlockHashList.Construction.BLKHASH, Algorithms.byName("sha256"), 4096);
    BlockDigestList mine = new BlockDigestList(type, new ByteRange(0, 5 * 4096));
    assertThatThrownBy(
            () -> mine.differingRanges(new BlockDigestList(type, new ByteRange(100, 4196))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("are not blocks of");
    assertThatThrownBy(() -> BlockDigestList.of(type, new ByteRange(0, 4096), List.of()))
        .hasMessage("0 digests for the 1 blocks of [0, 4096)");
    assertThat(mine.checksum().size()).isEqualTo(5L * 4096);
  }
}
