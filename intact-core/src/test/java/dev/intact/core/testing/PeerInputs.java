package dev.intact.core.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The generated inputs of the peer fixtures ({@code src/test/resources/peers}, where {@code
 * peer_inputs.py} made them for the real peers): SplitMix64 bytes from a seed, written over a file
 * truncated to its size first so that everything else is a hole.
 */
public final class PeerInputs {
  private static final int MIB = 1 << 20;

  /** A run of bytes: pseudo-random from {@code seed}, or written zeros when {@code seed} is -1. */
  private record Run(long offset, long seed, int length) {}

  private record Input(long size, List<Run> runs) {}

  private static final Map<String, Input> INPUTS =
      Map.of(
          "empty", new Input(0, List.of()),
          "random-1", random(1),
          "random-511", random(511),
          "random-512", random(512),
          "random-65537", random(65537),
          "random-4MiB+1", random(4 * MIB + 1),
          "hole-100001", new Input(100001, List.of()),
          "sparse-3MiB+1000",
              new Input(
                  3L * MIB + 1000,
                  List.of(
                      new Run(0, 7, 4096),
                      new Run(MIB + 512, 8, 70000),
                      new Run(2L * MIB, -1, 65536),
                      new Run(3L * MIB, 9, 1000))));

  private PeerInputs() {}

  private static Input random(int size) {
    return new Input(size, List.of(new Run(0, size, size)));
  }

  /** The names of the inputs, as the fixtures' first column spells them. */
  public static List<String> names() {
    return INPUTS.keySet().stream().sorted().toList();
  }

  /** The input's size in bytes. */
  public static long size(String name) {
    return input(name).size();
  }

  /** Writes input {@code name} as {@code dir/NAME.raw} and returns its path. */
  public static Path write(Path dir, String name) throws IOException {
    Input input = input(name);
    Path path = dir.resolve(name + ".raw");
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
      f.setLength(input.size());
      for (Run run : input.runs()) {
        f.seek(run.offset());
        f.write(run.seed() < 0 ? new byte[run.length()] : splitMix64(run.seed(), run.length()));
      }
    }
    return path;
  }

  /** The input's bytes (all of them fit in memory: the largest is 4 MiB + 1). */
  public static byte[] bytes(String name) {
    Input input = input(name);
    byte[] b = new byte[Math.toIntExact(input.size())];
    for (Run run : input.runs()) {
      if (run.seed() >= 0) {
        byte[] r = splitMix64(run.seed(), run.length());
        System.arraycopy(r, 0, b, Math.toIntExact(run.offset()), r.length);
      }
    }
    return b;
  }

  /** {@code length} bytes of SplitMix64 from {@code seed}, each output little-endian. */
  public static byte[] splitMix64(long seed, int length) {
    byte[] out = new byte[length];
    long state = seed;
    for (int i = 0; i < length; i += 8) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      for (int j = 0; j < 8 && i + j < length; j++) {
        out[i + j] = (byte) (z >>> (8 * j));
      }
    }
    return out;
  }

  private static Input input(String name) {
    Input input = INPUTS.get(name);
    if (input == null) {
      throw new IllegalArgumentException("no peer input named " + name);
    }
    return input;
  }
}
