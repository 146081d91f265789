package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import dev.intact.core.testing.SparseImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * For random layouts of data, written zeros and holes, random sizes (0, 1, block ± 1, unaligned
 * tails), block sizes, thread counts, read chunk sizes and ranges, the engine equals the naive
 * definition of {@link NaiveChecksum}.
 */
class ChecksumEnginePropertiesTest {
  private static final List<String> INNER =
      List.of("sha256", "sha1", "md5", "crc32c", "blake2b-256", "xxh64");
  private static final List<String> WHOLE =
      List.of("sha256", "md5", "crc32", "crc32c", "adler32", "blake2b-256", "crc64", "cksum");

  private Path dir;

  @BeforeProperty
  void makeDirectory() throws IOException {
    dir = Files.createTempDirectory("intact-engine-props");
  }

  @AfterProperty
  void removeDirectory() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** One generated case: the image, what to compute over which part, and how. */
  record Case(
      SparseImage image,
      ChecksumType type,
      int threads,
      int chunk,
      double startFraction,
      double endFraction) {

    ByteRange range() {
      long size = image.size();
      long a = (long) (size * Math.min(startFraction, endFraction));
      long b = (long) (size * Math.max(startFraction, endFraction));
      return new ByteRange(a, b);
    }
  }

  @Provide
  Arbitrary<Case> blockListCases() {
    Arbitrary<BlockHashList> types =
        Combinators.combine(
                Arbitraries.of(BlockHashList.Construction.values()),
                Arbitraries.of(INNER),
                Arbitraries.integers().between(1, 64))
            .as(
                (construction, inner, k) -> {
                  int blockSize =
                      construction == BlockHashList.Construction.IMAGEIO
                          ? construction.minBlockSize() + (k % 2) * 4096
                          : 4096 * k;
                  return new BlockHashList(construction, Algorithms.byName(inner), blockSize);
                });
    return types.flatMap(
        type ->
            Combinators.combine(
                    layouts(type.blockSize()),
                    Arbitraries.integers().between(1, 4),
                    chunks(),
                    fractions(),
                    fractions())
                .as((image, threads, chunk, a, b) -> new Case(image, type, threads, chunk, a, b)));
  }

  @Provide
  Arbitrary<Case> wholeStreamCases() {
    return Arbitraries.of(WHOLE)
        .flatMap(
            name ->
                Combinators.combine(
                        layouts(64 << 10),
                        Arbitraries.integers().between(1, 4),
                        chunks(),
                        fractions(),
                        fractions())
                    .as(
                        (image, threads, chunk, a, b) ->
                            new Case(
                                image,
                                new WholeStream(Algorithms.byName(name)),
                                threads,
                                chunk,
                                a,
                                b)));
  }

  /** Read chunks from one page to 1 MiB, so small images still span many segments. */
  private static Arbitrary<Integer> chunks() {
    return Arbitraries.of(4096, 12288, 65536, 262144, 1 << 20);
  }

  /** Range ends as fractions of the size: 0 and 1 (whole image) are common edge cases. */
  private static Arbitrary<Double> fractions() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(0.0)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(1.0)),
        net.jqwik.api.Tuple.of(3, Arbitraries.doubles().between(0, 1)));
  }

  private static Arbitrary<SparseImage> layouts(int blockSize) {
    Arbitrary<Long> lengths =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just(0L)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(1L)),
            net.jqwik.api.Tuple.of(
                3, Arbitraries.of((long) blockSize - 1, (long) blockSize, (long) blockSize + 1)),
            net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1, 64).map(k -> k * 4096)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(2, 300_000)));
    Arbitrary<SparseImage.Region> regions =
        Combinators.combine(Arbitraries.of(SparseImage.Kind.values()), lengths, Arbitraries.longs())
            .as(SparseImage.Region::new);
    return regions
        .list()
        .ofMaxSize(6)
        .filter(list -> list.stream().mapToLong(SparseImage.Region::length).sum() <= 5L << 20)
        .map(
            list -> {
              SparseImage.Builder b = SparseImage.builder();
              list.forEach(b::region);
              return b.build();
            });
  }

  private Path write(SparseImage image) {
    try {
      return image.writeTo(Files.createTempFile(dir, "img", ".raw"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 80)
  void blockListsEqualTheNaiveDefinition(@ForAll("blockListCases") Case c) throws IOException {
    Path file = write(c.image());
    ByteRange range = c.range();
    byte[] bytes = Arrays.copyOfRange(c.image().bytes(), (int) range.start(), (int) range.end());
    HashCode expected = NaiveChecksum.of(c.type(), bytes);
    ChecksumEngine engine = ChecksumEngine.withThreads(c.threads()).withChunkSize(c.chunk());
    AtomicLong progress = new AtomicLong();
    try (LocalImage image = LocalImage.openRead(file)) {
      Checksum got = engine.compute(image, c.type(), range, progress::addAndGet);
      assertThat(got.value()).isEqualTo(expected);
      assertThat(got.size()).isEqualTo(range.length());
    }
    assertThat(progress.get()).as("progress covers the range").isEqualTo(range.length());
    try (LateReadsImage image = new LateReadsImage(LocalImage.openRead(file))) {
      assertThat(engine.compute(image, c.type(), range, ProgressListener.NONE).value())
          .as("reads started ahead and finished out of order, as over NBD")
          .isEqualTo(expected);
    }
    Checksum fromStream =
        engine.compute(new ByteArrayInputStream(bytes), c.type(), ProgressListener.NONE);
    assertThat(fromStream.value()).isEqualTo(expected);
    assertThat(fromStream.size()).isEqualTo(bytes.length);
  }

  @Property(tries = 40)
  void blockDigestsAreTheNaiveBlockDigests(@ForAll("blockListCases") Case c) throws IOException {
    BlockHashList type = (BlockHashList) c.type();
    Path file = write(c.image());
    ByteRange range = c.range();
    byte[] bytes = c.image().bytes();
    List<HashCode> expected = new ArrayList<>();
    HashAlgorithm inner = type.inner();
    for (long off = range.start(); off < range.end(); off += type.blockSize()) {
      int end = (int) Math.min(range.end(), off + type.blockSize());
      expected.add(inner.hash(Arrays.copyOfRange(bytes, (int) off, end)));
    }
    ChecksumEngine engine = ChecksumEngine.withThreads(c.threads()).withChunkSize(c.chunk());
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(engine.blockDigests(image, inner, type.blockSize(), range))
          .containsExactlyElementsOf(expected);
    }
  }

  @Property(tries = 50)
  void wholeStreamValuesOverHolesEqualPlainHashing(@ForAll("wholeStreamCases") Case c)
      throws IOException {
    Path file = write(c.image());
    ByteRange range = c.range();
    byte[] bytes = Arrays.copyOfRange(c.image().bytes(), (int) range.start(), (int) range.end());
    HashAlgorithm algorithm = ((WholeStream) c.type()).algorithm();
    ChecksumEngine engine = ChecksumEngine.withThreads(c.threads()).withChunkSize(c.chunk());
    AtomicLong progress = new AtomicLong();
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(engine.compute(image, c.type(), range, progress::addAndGet).value())
          .isEqualTo(algorithm.hash(bytes));
    }
    assertThat(progress.get()).isEqualTo(range.length());
    Checksum fromStream =
        engine.compute(new ByteArrayInputStream(bytes), c.type(), ProgressListener.NONE);
    assertThat(fromStream.value()).isEqualTo(algorithm.hash(bytes));
    assertThat(fromStream.size()).isEqualTo(bytes.length);
  }
}
