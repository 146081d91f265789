package dev.intact.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

/**
 * A raw image to build: its size and where it holds data (random, or written zeros); holes
 * elsewhere.
 */
record Layout(String name, long size, List<long[]> data, boolean zeroData) {

  static Layout of(String name, long size, long... ranges) {
    List<long[]> d = new java.util.ArrayList<>();
    for (int i = 0; i < ranges.length; i += 2) {
      d.add(new long[] {ranges[i], ranges[i + 1]});
    }
    return new Layout(name, size, d, false);
  }

  Layout writtenZeros() {
    return new Layout(name, size, data, true);
  }

  Path build(Path file, long seed) throws IOException {
    Random random = new Random(seed);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long[] r : data) {
        byte[] b = new byte[(int) (r[1] - r[0])];
        if (!zeroData) {
          random.nextBytes(b);
        }
        ch.write(ByteBuffer.wrap(b), r[0]);
      }
    }
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size); // the tail after the last data run is a hole
    }
    return file;
  }

  @Override
  public String toString() {
    return name;
  }
}
