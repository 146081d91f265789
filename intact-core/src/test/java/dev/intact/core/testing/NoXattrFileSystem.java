package dev.intact.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A file system that refuses user extended attributes, mounted for a test: ramfs (tmpfs stores user
 * attributes since Linux 6.6, and this kernel has no vfat). Mounting needs root, as CI runs;
 * without it the test fails saying so, never skips. {@link #close} unmounts.
 */
public final class NoXattrFileSystem implements AutoCloseable {
  private final Path mountPoint;

  private NoXattrFileSystem(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a fresh ramfs on {@code mountPoint} (an empty directory). */
  public static NoXattrFileSystem mount(Path mountPoint) throws IOException {
    run("mount", "-t", "ramfs", "intact-test-ramfs", mountPoint.toString());
    return new NoXattrFileSystem(mountPoint);
  }

  public Path root() {
    return mountPoint;
  }

  @Override
  public void close() throws IOException {
    run("umount", mountPoint.toString());
  }

  private static void run(String... command) throws IOException {
    Path log = Files.createTempFile("intact-mount-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not finish in 30 s");
      }
      if (p.exitValue() != 0) {
        fail(
            String.join(" ", command)
                + " failed (the test needs root, as CI runs, to mount a ramfs): "
                + Files.readString(log).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", command), e);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
