package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code qemu-img compare}, the ground truth for "the same guest-visible bytes". */
final class QemuImg {
  private QemuImg() {}

  static void assertSame(Path a, Path b) throws Exception {
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "qemu-img", "compare", "-q", "-f", "raw", "-F", "raw", a.toString(), b.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "qemu-img is not installed: install the Debian package qemu-utils ("
              + e.getMessage()
              + ")",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("qemu-img compare %s %s: %s", a, b, out).isZero();
  }
}
