package dev.intact.spark;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random trees of files as disk images and archives have them: empty files, unaligned sizes, holes
 * (sparse regions never written), blocks written as zeros, random data.
 */
final class Layouts {
  private Layouts() {}

  static List<Path> create(Path dir, long seed, int files) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    List<Path> created = new ArrayList<>();
    Files.createDirectories(dir.resolve("sub"));
    for (int i = 0; i < files; i++) {
      Path file = dir.resolve((i % 3 == 2 ? "sub/" : "") + "f" + i + (i == 1 ? " with space" : ""));
      long size =
          switch (i % 4) {
            case 0 -> i == 0 ? 0 : random.nextInt(5000);
            case 1 -> random.nextInt(64 << 10, 1 << 20);
            default -> random.nextInt(1 << 20, 3 << 20) + random.nextInt(4096);
          };
      write(file, size, random);
      created.add(file);
    }
    return created;
  }

  /** A file of {@code size} bytes: a hole, then runs of random data, zeros and holes. */
  private static void write(Path file, long size, SplittableRandom random) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size); // all hole
      long at = size > 0 ? random.nextLong(Math.max(1, size / 4)) : 0;
      while (at < size) {
        int run = (int) Math.min(size - at, random.nextInt(1, 300_000));
        switch (random.nextInt(3)) {
          case 0 -> {
            byte[] data = new byte[run];
            random.nextBytes(data);
            f.seek(at);
            f.write(data);
          }
          case 1 -> {
            f.seek(at);
            f.write(new byte[run]); // zeros, allocated
          }
          default -> {} // left as a hole
        }
        at += run + random.nextInt(0, 200_000);
      }
    }
  }
}
