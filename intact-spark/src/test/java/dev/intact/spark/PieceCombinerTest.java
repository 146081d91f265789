package dev.intact.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without Spark: the pieces of a plan, hashed one by one and combined in order, give the engine's
 * value of the whole file for every kind of checksum and random split sizes.
 */
class PieceCombinerTest {
  @TempDir Path dir;

  @Test
  void combinedPiecesEqualTheWholeFilesValue() throws IOException {
    List<Path> files = Layouts.create(dir, 41, 6);
    SplittableRandom random = new SplittableRandom(41);
    for (String name : List.of("blkhash", "imageio:sha1", "crc32", "adler32", "crc64", "sha256")) {
      ChecksumType type = ChecksumType.parse(name, OptionalLong.empty());
      for (Path file : files) {
        long split = random.nextLong(1, 2 << 20);
        Checksum whole;
        long size;
        try (Image image = ImageViews.open(file.toString(), type, null)) {
          size = image.size();
          whole =
              ChecksumEngine.withThreads(2)
                  .compute(image, type, ByteRange.whole(size), ProgressListener.NONE);
        }
        PieceCombiner combiner = new PieceCombiner(type);
        for (Piece p : SplitPlan.pieces(0, file.toString(), size, type, split)) {
          combiner.add(new PieceHasher(1).hash(p, type, null));
        }
        assertThat(combiner.finish()).as("%s of %s split %d", name, file, split).isEqualTo(whole);
      }
    }
  }

  @Test
  void piecesOutOfOrderAreRefused() throws IOException {
    Path file = Layouts.create(dir, 2, 2).get(1);
    ChecksumType type = ChecksumType.parse("crc32", OptionalLong.empty());
    long size = java.nio.file.Files.size(file);
    List<Piece> pieces = SplitPlan.pieces(0, file.toString(), size, type, size / 2 + 1);
    PieceCombiner combiner = new PieceCombiner(type);

    assertThat(pieces).hasSize(2);
    assertThatThrownBy(() -> combiner.add(new PieceHasher(1).hash(pieces.get(1), type, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected 0");
  }

  @Test
  void aFileThatChangedSizeSinceThePlanFailsTheTask() throws IOException {
    Path file = Layouts.create(dir, 2, 2).get(1);
    ChecksumType type = ChecksumType.parse("sha256", OptionalLong.empty());
    Piece stale = new Piece(0, 0, file.toString(), java.nio.file.Files.size(file) + 1, 0, 1);

    assertThatThrownBy(() -> new PieceHasher(1).hash(stale, type, null))
        .isInstanceOf(InputChangedException.class)
        .hasMessageContaining("size changed");
  }

  @Test
  void hashesThatDoNotCombineAreOnePiecePerFile() {
    ChecksumType sha = ChecksumType.parse("sha256", OptionalLong.empty());
    ChecksumType blk = ChecksumType.parse("blkhash", OptionalLong.empty());

    assertThat(SplitPlan.pieces(0, "f", 10 << 20, sha, 1 << 20)).hasSize(1);
    assertThat(SplitPlan.pieces(0, "f", 10 << 20, blk, 100_000))
        .hasSize(80)
        .allSatisfy(p -> assertThat(p.start() % 65536).isZero());
    assertThat(SplitPlan.pieces(0, "f", 0, blk, 4096))
        .singleElement()
        .satisfies(p -> assertThat(p.length()).isZero());
  }
}
