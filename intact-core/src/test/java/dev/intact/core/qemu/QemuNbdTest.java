package dev.intact.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.format.ImageOpener;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.testing.QemuNbdChild;
import dev.intact.core.testing.QemuNbdLeaks;
import dev.intact.core.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No qemu-nbd process or socket outlives Intact: after success, failure, or Ctrl-C. */
class QemuNbdTest {
  @TempDir Path dir;
  Path qcow2;

  @BeforeEach
  void image() throws Exception {
    qcow2 = dir.resolve("disk.qcow2");
    Tools.run(Tools.qemuImg(), "create", "-f", "qcow2", qcow2.toString(), "8M");
    Tools.run(Tools.qemuIo(), "-f", "qcow2", "-c", "write -P 0xab 0 64k", qcow2.toString());
  }

  static Set<Long> qemuNbdChildren() {
    return QemuNbdLeaks.children();
  }

  static Set<Path> socketDirs() {
    return QemuNbdLeaks.socketDirs();
  }

  @Test
  void closingTheImageStopsQemuNbdAndRemovesItsSocket() throws Exception {
    Path socket;
    long pid;
    try (QemuNbd q = QemuNbd.serve(qcow2, "qcow2");
        NbdImage image = q.openImage()) {
      socket = q.socket();
      pid = q.pid();
      assertThat(Files.exists(socket)).isTrue();
      assertThat(Files.getPosixFilePermissions(socket.getParent()).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
      byte[] b = new byte[65536];
      image.readFully(0, b, 0, b.length);
      assertThat(b).containsOnly((byte) 0xab);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(socket.getParent()).doesNotExist();
    assertThat(qemuNbdChildren()).isEmpty();
  }

  @Test
  void aQemuNbdThatFailsLeavesNothingBehindAndSaysWhy() throws Exception {
    Set<Path> before = socketDirs();
    // A backing file that is not there: Intact leaves backing chains to qemu-nbd, which fails.
    Path broken = dir.resolve("broken.qcow2");
    Tools.run(
        Tools.qemuImg(),
        "create",
        "-q",
        "-f",
        "qcow2",
        "-u",
        "-b",
        "missing.qcow2",
        "-F",
        "qcow2",
        broken.toString(),
        "1M");
    assertThatThrownBy(() -> ImageOpener.open(broken.toString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("qemu-nbd could not serve " + broken);
    assertThat(qemuNbdChildren()).isEmpty();
    assertThat(socketDirs()).isEqualTo(before);
  }

  @Test
  void ctrlCStopsQemuNbdThroughTheShutdownHook() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // env resets SIGINT to its default: a test run started in the background without job control
    // (nohup ... &) hands its children SIGINT ignored, and a JVM that inherits it ignored installs
    // no handler, so Ctrl-C would never reach the shutdown hook this test is about.
    Process child =
        new ProcessBuilder(
                List.of(
                    "env",
                    "--default-signal=INT",
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    QemuNbdChild.class.getName(),
                    qcow2.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("ready ");
      String[] parts = line.split(" ", -1);
      long qemuPid = Long.parseLong(parts[1]);
      Path socket = Path.of(parts[2]);
      ProcessHandle qemu = ProcessHandle.of(qemuPid).orElseThrow();
      assertThat(qemu.isAlive()).isTrue();
      assertThat(socket).exists();

      Tools.run("bash", "-c", "kill -INT " + child.pid()); // the shell builtin: no procps needed
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child JVM exits on SIGINT").isTrue();
      qemu.onExit().get(30, TimeUnit.SECONDS);
      assertThat(qemu.isAlive()).isFalse();
      assertThat(socket.getParent()).doesNotExist();
    } finally {
      child.destroyForcibly();
    }
  }
}
