package dev.intact.core.volume;

import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The advisory lock that keeps two processes from using one volume in conflicting ways: a writable
 * open (serve, repair, scrub of a file) takes an exclusive flock on the volume's file, a read-only
 * open (check, info, read-only serve) a shared one. Each open's own file description holds it, so
 * it is released when the volume is closed or its process dies, {@code kill -9} included.
 */
final class VolumeLock {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private VolumeLock() {}

  /**
   * Locks {@code store}, or throws naming the process that holds the volume when {@code
   * /proc/locks} tells.
   */
  static void acquire(LocalImage store, Path path, boolean writable) throws IOException {
    if (store.nativeFile().tryFlock(writable)) {
      return;
    }
    throw new VolumeInUseException(path.toString(), holder(path));
  }

  /** "pid 123 (intact volume serve v.vol --socket s)" or "another process" if it cannot tell. */
  static String holder(Path path) {
    try {
      long ino = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
      long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
      long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
      long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
      String id = String.format("%02x:%02x:%d", major, minor, ino);
      for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
        // "1: FLOCK  ADVISORY  WRITE 4242 00:2a:1234 0 EOF"
        String[] f = WHITESPACE.split(line.trim(), -1);
        if (f.length >= 6 && f[1].equals("FLOCK") && f[5].equals(id)) {
          return "pid " + f[4] + command(f[4]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Only the message's detail is lost: the lock itself was still refused.
    }
    return "another process";
  }

  private static String command(String pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
      String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
      // The JVM's own arguments say little; the part from the main class or jar on is the command.
      int at = cmd.indexOf("dev.intact.cli.");
      if (at >= 0) {
        int space = cmd.indexOf(' ', at);
        cmd = "intact" + (space < 0 ? "" : cmd.substring(space));
      }
      return cmd.isEmpty()
          ? ""
          : " (" + (cmd.length() > 120 ? cmd.substring(0, 120) + "…" : cmd) + ")";
    } catch (IOException e) {
      return "";
    }
  }
}
