package dev.intact.core.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A test image described as a list of regions (random data, allocated zeros, holes) that can be
 * written as a sparse file. Holes cost no disk space, so a 1 TiB image is cheap; the expected bytes
 * can be materialised for images that fit in memory.
 *
 * <pre>{@code
 * Path img = SparseImage.builder().hole(1 << 20).data(4096, 7).zeros(8192).build().writeTo(path);
 * }</pre>
 */
public final class SparseImage {

  /** What a region holds. */
  public enum Kind {
    /** Pseudo-random bytes from the region's seed. */
    DATA,
    /** Zeros that are written, so they are allocated and read back as data. */
    ZEROS,
    /** A hole: never written. */
    HOLE
  }

  /** One region; {@code seed} matters only for {@link Kind#DATA}. */
  public record Region(Kind kind, long length, long seed) {
    public Region {
      if (length < 0) {
        throw new IllegalArgumentException("negative region length " + length);
      }
    }
  }

  private final List<Region> regions;
  private final long size;

  private SparseImage(List<Region> regions) {
    this.regions = List.copyOf(regions);
    this.size = regions.stream().mapToLong(Region::length).sum();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An image that is a single hole of {@code size} bytes. */
  public static SparseImage empty(long size) {
    return builder().hole(size).build();
  }

  public List<Region> regions() {
    return regions;
  }

  public long size() {
    return size;
  }

  /** Writes the image as a new sparse file at {@code file} (replacing it) and returns the path. */
  public Path writeTo(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(0);
      long position = 0;
      byte[] chunk = new byte[1 << 20];
      for (Region r : regions) {
        if (r.kind() != Kind.HOLE) {
          raf.seek(position);
          Random random = new Random(r.seed());
          for (long done = 0; done < r.length(); ) {
            int n = (int) Math.min(chunk.length, r.length() - done);
            fill(r, random, chunk, n);
            raf.write(chunk, 0, n);
            done += n;
          }
        }
        position += r.length();
      }
      raf.setLength(size);
    }
    return file;
  }

  /** The image's bytes, for images small enough to hold in memory. */
  public byte[] bytes() {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("image of " + size + " bytes does not fit in an array");
    }
    byte[] out = new byte[(int) size];
    int position = 0;
    for (Region r : regions) {
      if (r.kind() == Kind.DATA) {
        Random random = new Random(r.seed());
        byte[] chunk = new byte[(int) r.length()];
        fill(r, random, chunk, chunk.length);
        System.arraycopy(chunk, 0, out, position, chunk.length);
      }
      position += (int) r.length();
    }
    return out;
  }

  private static void fill(Region r, Random random, byte[] chunk, int n) {
    if (r.kind() == Kind.DATA) {
      for (int i = 0; i < n; ) {
        int v = random.nextInt();
        for (int k = 0; k < 4 && i < n; k++, i++) {
          chunk[i] = (byte) (v >>> (8 * k));
        }
      }
    } else {
      java.util.Arrays.fill(chunk, 0, n, (byte) 0);
    }
  }

  @Override
  public String toString() {
    java.util.StringJoiner s = new java.util.StringJoiner(", ", "SparseImage[", "]");
    for (Region r : regions) {
      s.add(r.kind().name().toLowerCase(java.util.Locale.ROOT) + ' ' + r.length());
    }
    return s.toString();
  }

  /** Collects regions in order. */
  public static final class Builder {
    private final List<Region> regions = new ArrayList<>();

    public Builder data(long length, long seed) {
      regions.add(new Region(Kind.DATA, length, seed));
      return this;
    }

    public Builder zeros(long length) {
      regions.add(new Region(Kind.ZEROS, length, 0));
      return this;
    }

    public Builder hole(long length) {
      regions.add(new Region(Kind.HOLE, length, 0));
      return this;
    }

    public Builder region(Region region) {
      regions.add(region);
      return this;
    }

    public SparseImage build() {
      return new SparseImage(regions);
    }
  }
}
