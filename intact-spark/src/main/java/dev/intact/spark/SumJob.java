package dev.intact.spark;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code sum} as a Spark job: inputs are planned on the driver ({@link SplitPlan}), pieces hashed
 * on executors ({@link PieceHasher}), only digests come back, and the driver combines them in order
 * ({@link PieceCombiner}). The values are those of {@code intact sum}, whatever the split.
 */
final class SumJob {
  private final SparkContext spark;
  private final SumOptions options;

  SumJob(SparkContext spark, SumOptions options) {
    this.spark = spark;
    this.options = options;
  }

  List<FileSum> run(List<String> files, ChecksumType type) {
    FileSum[] results = new FileSum[files.size()];
    List<Piece> pieces = new ArrayList<>();
    Map<Integer, long[]> stats = new HashMap<>();
    Map<Integer, String> mtimes = new HashMap<>();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark);
    HadoopConf conf =
        files.stream().allMatch(Locations::isLocal)
            ? null
            : HadoopConf.of(spark.hadoopConfiguration());
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i);
      try {
        long size;
        try (Image image = ImageViews.open(file, type, conf)) {
          size = image.size();
        }
        stats.put(i, new long[] {size, 0});
        mtimes.put(i, mtime(file, conf));
        pieces.addAll(SplitPlan.pieces(i, file, size, type, options.splitSize()));
      } catch (IOException | RuntimeException e) {
        results[i] = new FileSum(file, -1, "", null, Failures.failure(file, e));
      }
    }
    TypeSpec spec = TypeSpec.of(type);
    int threads = options.taskThreads();
    boolean inject = FaultInjection.enabled(spark);
    // Executors open non-local inputs with the driver's Hadoop settings, sent once per job.
    Broadcast<HadoopConf> hadoop = conf == null ? null : jsc.broadcast(conf);
    Map<Integer, PieceCombiner> open = new HashMap<>();
    for (List<Piece> wave : waves(pieces, type)) {
      List<PieceDigest> digests =
          jsc.parallelize(wave, slices(wave, jsc.defaultParallelism()))
              .map(
                  p -> {
                    PieceDigest d =
                        new PieceHasher(threads)
                            .hash(p, spec.type(), hadoop == null ? null : hadoop.value());
                    FaultInjection.afterWork(inject);
                    return d;
                  })
              .collect();
      for (PieceDigest d : digests) {
        PieceCombiner c = open.computeIfAbsent(d.file(), f -> new PieceCombiner(type));
        c.add(d);
        long size = stats.get(d.file())[0];
        long done = stats.get(d.file())[1] += d.length();
        if (done == size) {
          String file = files.get(d.file());
          results[d.file()] = new FileSum(file, size, mtimes.get(d.file()), c.finish(), null);
          open.remove(d.file());
        }
      }
    }
    return List.of(results);
  }

  /** Consecutive pieces whose digests together stay under the wave size. */
  private List<List<Piece>> waves(List<Piece> pieces, ChecksumType type) {
    List<List<Piece>> waves = new ArrayList<>();
    List<Piece> wave = new ArrayList<>();
    long bytes = 0;
    for (Piece p : pieces) {
      long digestBytes = digestBytes(p, type);
      if (!wave.isEmpty() && bytes + digestBytes > options.waveBytes()) {
        waves.add(wave);
        wave = new ArrayList<>();
        bytes = 0;
      }
      wave.add(p);
      bytes += digestBytes;
    }
    if (!wave.isEmpty()) {
      waves.add(wave);
    }
    return waves;
  }

  private static long digestBytes(Piece p, ChecksumType type) {
    return type instanceof dev.intact.core.checksum.BlockHashList b
        ? Math.ceilDiv(p.length(), b.blockSize()) * b.digestLength()
        : type.digestLength();
  }

  /**
   * Tasks for a wave: one per split's worth of bytes, at least one per core, never more than the
   * pieces (many small inputs share a task; a big input's pieces each get one).
   */
  private int slices(List<Piece> wave, int parallelism) {
    long bytes = wave.stream().mapToLong(Piece::length).sum();
    long bySize = Math.ceilDiv(bytes, options.splitSize());
    return (int) Math.min(wave.size(), Math.max(bySize, parallelism));
  }

  /** The input's mtime as SECONDS.NANOS (a Hadoop filesystem keeps milliseconds). */
  static String mtime(String file, HadoopConf conf) throws IOException {
    Instant i;
    if (Locations.isLocal(file)) {
      FileTime t = Files.getLastModifiedTime(Locations.local(file));
      i = t.toInstant();
    } else {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
      FileSystem fs = path.getFileSystem(conf.configuration());
      i = Instant.ofEpochMilli(fs.getFileStatus(path).getModificationTime());
    }
    return i.getEpochSecond() + "." + String.format("%09d", i.getNano());
  }
}
