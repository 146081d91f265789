package dev.intact.core.qcow2;

import dev.intact.core.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random scripts of writes, zero writes and discards run through qemu-io on a fresh qcow2: the
 * native read equals a model of the script and qemu's own raw conversion, and its block-hash
 * checksum equals the conversion's. A discard may leave bytes as they were or make them zeros (qemu
 * discards only whole clusters or subclusters), so the model only knows that of them.
 */
class Qcow2ScriptProperties {
  static final int SIZE = 2 << 20;

  enum Kind {
    WRITE,
    ZERO,
    DISCARD
  }

  /**
   * One qemu-io command over {@code [offset, offset + length)} (sector units keep qemu-io happy).
   */
  record Op(Kind kind, int offset, int length, int pattern) {
    String command() {
      return switch (kind) {
        case WRITE -> "write -P " + pattern + " " + offset + " " + length;
        case ZERO -> "write -z " + offset + " " + length;
        case DISCARD -> "discard " + offset + " " + length;
      };
    }
  }

  @Provide
  Arbitrary<List<Op>> scripts() {
    return ops().list().ofMinSize(1).ofMaxSize(30);
  }

  Arbitrary<Op> ops() {
    Arbitrary<Integer> sectors = Arbitraries.integers().between(0, SIZE / 512 - 1);
    Arbitrary<Integer> lengths =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, 600));
    return Combinators.combine(
            Arbitraries.of(Kind.class), sectors, lengths, Arbitraries.integers().between(1, 255))
        .as((k, s, n, p) -> new Op(k, s * 512, Math.min(n, SIZE / 512 - s) * 512, p));
  }

  @Provide
  Arbitrary<String> options() {
    return Arbitraries.of(
        "cluster_size=4096",
        "cluster_size=65536",
        "extended_l2=on",
        "extended_l2=on,cluster_size=16k",
        "compat=0.10,cluster_size=8192");
  }

  @Property(tries = 25)
  void aScriptReadsAsTheModelAndAsQemu(
      @ForAll("options") String options, @ForAll("scripts") List<Op> script) throws Exception {
    Path dir = Files.createTempDirectory("qcow2-script");
    try {
      byte[] model = new byte[SIZE];
      boolean[] unsure = new boolean[SIZE];
      List<String> commands = new ArrayList<>();
      for (Op op : script) {
        commands.add(op.command());
        int end = op.offset() + op.length();
        switch (op.kind()) {
          case WRITE -> Arrays.fill(model, op.offset(), end, (byte) op.pattern());
          case ZERO -> Arrays.fill(model, op.offset(), end, (byte) 0);
          case DISCARD -> Arrays.fill(unsure, op.offset(), end, true);
        }
        if (op.kind() != Kind.DISCARD) {
          Arrays.fill(unsure, op.offset(), end, false);
        }
      }
      Path qcow2 = QemuImages.create(dir.resolve("disk.qcow2"), options, SIZE, commands);
      try (Qcow2Image image = Qcow2Image.open(qcow2, "disk.qcow2")) {
        byte[] read = QemuImages.readByExtents(image);
        for (int i = 0; i < SIZE; i++) {
          if (read[i] != model[i] && !(unsure[i] && read[i] == 0)) {
            throw new AssertionError(
                "byte " + i + " reads " + read[i] + ", the script left " + model[i]);
          }
        }
      }
      QemuImages.assertReadsAsQemu(qcow2);
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Property(tries = 5)
  void aCompressedScriptReadsAsQemu(@ForAll("scripts") List<Op> script) throws Exception {
    Path dir = Files.createTempDirectory("qcow2-script");
    try {
      Path written =
          QemuImages.create(
              dir.resolve("written.qcow2"),
              "cluster_size=4096",
              SIZE,
              script.stream().map(Op::command).toList());
      Path compressed = dir.resolve("compressed.qcow2");
      Tools.run(
          Tools.qemuImg(),
          "convert",
          "-c",
          "-O",
          "qcow2",
          "-o",
          "cluster_size=4096,compression_type=zstd",
          written.toString(),
          compressed.toString());
      QemuImages.assertReadsAsQemu(compressed);
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
