package dev.intact.core.format;

import dev.intact.core.image.LocalImage;
import dev.intact.core.image.WritableImage;
import dev.intact.core.qemu.QemuNbd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates a new image file to write a guest's disk into: a sparse raw file directly, a qcow2 with
 * {@code qemu-img create} and then written through a private read-write {@link QemuNbd}. Closing
 * the returned image stops that qemu-nbd. The file is never left behind by a failed creation.
 */
public final class ImageCreator {
  /** The formats a destination may have: raw, and qcow2 through qemu-img and qemu-nbd. */
  public static final List<String> FORMATS = List.of("raw", "qcow2");

  private static final long QEMU_IMG_TIMEOUT_SECONDS = 60;

  private ImageCreator() {}

  /**
   * Creates {@code file} (which must not exist) holding {@code size} zero bytes in {@code format}.
   * qemu rounds a qcow2's virtual size up to a multiple of 512 bytes.
   *
   * @throws FileAlreadyExistsException if {@code file} exists
   * @throws IllegalArgumentException if {@code format} is not one of {@link #FORMATS}
   * @throws IOException naming the file, with qemu-img's or qemu-nbd's own message
   */
  public static WritableImage create(Path file, String format, long size) throws IOException {
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "cannot create a destination in format '"
              + format
              + "': use one of "
              + String.join(", ", FORMATS));
    }
    if (format.equals("raw")) {
      return LocalImage.create(file, size);
    }
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    boolean done = false;
    try {
      qemuImgCreate(file, format, size);
      WritableImage image = QemuNbd.serveWritable(file, format).openImage();
      done = true;
      return image;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void qemuImgCreate(Path file, String format, long size) throws IOException {
    List<String> cmd =
        List.of("qemu-img", "create", "-q", "-f", format, file.toString(), Long.toString(size));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run qemu-img (install the Debian package qemu-utils) to create "
              + file
              + ": "
              + e.getMessage(),
          e);
    }
    p.getOutputStream().close();
    try {
      // qemu-img create prints a line or two at most, so reading it all cannot block for long.
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(QEMU_IMG_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("qemu-img create " + file + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            "qemu-img could not create "
                + file
                + ": "
                + (output.isEmpty() ? "exit status " + p.exitValue() : output));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted creating " + file);
    }
  }
}
