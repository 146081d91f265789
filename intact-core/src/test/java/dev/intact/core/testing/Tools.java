package dev.intact.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Debian peer tools the tests use; a missing tool fails naming its package. */
public final class Tools {
  private Tools() {}

  public static String require(String tool, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":", -1)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return tool;
      }
    }
    throw new AssertionError(
        tool
            + " is not installed: install the Debian package "
            + debianPackage
            + " (apt-get install "
            + debianPackage
            + ")");
  }

  public static String nbdkit() {
    return require("nbdkit", "nbdkit");
  }

  public static String qemuImg() {
    return require("qemu-img", "qemu-utils");
  }

  public static String qemuIo() {
    return require("qemu-io", "qemu-utils");
  }

  public static String qemuNbd() {
    return require("qemu-nbd", "qemu-utils");
  }

  public static String nbdinfo() {
    return require("nbdinfo", "libnbd-bin");
  }

  public static String nbdcopy() {
    return require("nbdcopy", "libnbd-bin");
  }

  /** Runs a command to completion (at most a minute) and returns its stdout; fails on non-zero. */
  public static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    p.getOutputStream().close();
    byte[][] errBytes = new byte[1][];
    Thread err =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    errBytes[0] = p.getErrorStream().readAllBytes();
                  } catch (IOException e) {
                    errBytes[0] = e.toString().getBytes(StandardCharsets.UTF_8);
                  }
                });
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
    }
    err.join();
    if (p.exitValue() != 0) {
      throw new AssertionError(
          String.join(" ", command)
              + " failed with status "
              + p.exitValue()
              + ": "
              + new String(errBytes[0], StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  public static String run(String... command) throws IOException, InterruptedException {
    return run(List.of(command));
  }
}
