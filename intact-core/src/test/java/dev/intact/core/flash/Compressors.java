package dev.intact.core.flash;

import dev.intact.core.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The real compressors, to make test inputs: each writes {@code FILE.suffix} beside FILE. */
final class Compressors {
  private static final Map<String, ExternalTool> TOOLS =
      Map.of(
          "gzip", ExternalTool.of("gzip", "gzip"),
          "xz", ExternalTool.of("xz", "xz-utils"),
          "zstd", ExternalTool.of("zstd", "zstd"),
          "bzip2", ExternalTool.of("bzip2", "bzip2"));
  private static final Map<String, String> SUFFIX =
      Map.of("gzip", ".gz", "xz", ".xz", "zstd", ".zst", "bzip2", ".bz2");

  private Compressors() {}

  /** Compresses {@code raw} with {@code tool}, keeping it; returns the compressed file. */
  static Path compress(String tool, Path raw) throws java.io.IOException {
    Path out = raw.resolveSibling(raw.getFileName() + SUFFIX.get(tool));
    Files.deleteIfExists(out);
    if (tool.equals("zstd")) {
      TOOLS.get(tool).run("-q", raw.toString()); // zstd keeps its input
    } else {
      TOOLS.get(tool).run("-k", raw.toString());
    }
    if (!Files.isRegularFile(out)) {
      throw new AssertionError(tool + " did not write " + out);
    }
    return out;
  }

  static String suffix(String tool) {
    return SUFFIX.get(tool);
  }

  /** The exit status of {@code tool args} (the peer's verdict on a test input). */
  static int exitOf(String tool, String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(TOOLS.get(tool).require().toString());
    cmd.addAll(java.util.List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish in 60 s");
    }
    return p.exitValue();
  }
}
