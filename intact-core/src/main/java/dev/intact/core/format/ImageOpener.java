package dev.intact.core.format;

import dev.intact.core.archive.TarIndex;
import dev.intact.core.archive.TarMember;
import dev.intact.core.image.LocalImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import dev.intact.core.qcow2.Qcow2Image;
import dev.intact.core.qcow2.UnsupportedQcow2Exception;
import dev.intact.core.qemu.QemuNbd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens whatever a user names as an image for reading its guest-visible bytes: a raw file or device
 * directly ({@link LocalImage}); a qcow2 file without a backing file, encryption or external data
 * directly too ({@link Qcow2Image}); any other qcow2, a vmdk or other qemu format, or a member of
 * an OVA (tar), through a private {@link QemuNbd}; an {@code nbd://} or {@code nbd+unix://} URI
 * through {@link NbdImage}. The CLI's {@code sum}, {@code info} and {@code extents} all come here.
 *
 * <p>Probing means a qcow2 file reads as its guest's disk, not as the file's own bytes; a caller
 * that wants the file (checking a published {@code SHA256SUMS} of a qcow2 download) passes format
 * {@code raw}. A tar/OVA archive without a member is read as the file it is.
 */
public final class ImageOpener {
  /**
   * Initialised only when a qcow2 falls back to qemu-nbd: starting the logging back end costs a
   * short {@code sum} of any image a noticeable part of its start-up.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ImageOpener.class);
  }

  private ImageOpener() {}

  /**
   * How to open an image: which archive member to read and whether to skip format probing.
   *
   * @param member for a tar/OVA archive, the member to read (required for archives)
   * @param format force a format (qemu's driver name, e.g. {@code raw}) instead of probing
   */
  public record Options(String member, String format) {
    public static Options defaults() {
      return new Options(null, null);
    }

    public Options withMember(String m) {
      return new Options(m, format);
    }

    public Options withFormat(String f) {
      return new Options(member, f);
    }
  }

  public static OpenedImage open(String spec) throws IOException {
    return open(spec, Options.defaults());
  }

  public static OpenedImage open(String spec, Options options) throws IOException {
    if (NbdUri.isNbdUri(spec)) {
      if (options.member() != null) {
        throw new IllegalArgumentException("--member applies to a tar/OVA file, not to " + spec);
      }
      NbdUri uri = NbdUri.parse(spec);
      return new OpenedImage(NbdImage.open(uri), "nbd", uri.toString());
    }
    return open(Path.of(spec), spec, options);
  }

  /**
   * Opens the file or device at {@code path}, which the user named {@code spec} (used in messages
   * and as the image's name). For names that {@code Path.of(String)} cannot spell in this locale.
   */
  public static OpenedImage open(Path path, String spec, Options options) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(spec);
    }
    boolean regular = Files.isRegularFile(path);
    boolean tar = regular && TarIndex.isTar(path);
    if (options.member() != null) {
      if (!tar) {
        throw new IllegalArgumentException(
            spec + " is not a tar/OVA archive, so it has no member '" + options.member() + "'");
      }
      TarMember m = TarIndex.find(path, options.member());
      String format =
          options.format() != null ? options.format() : ImageFormat.detect(path, m.offset());
      checkSupported(format, spec);
      String source = spec + "!" + m.name();
      QemuNbd q = QemuNbd.serveSlice(path, m.offset(), m.size(), format, source);
      return new OpenedImage(q.openImage(), format, source, path);
    }
    String format =
        options.format() != null ? options.format() : regular ? formatOf(path, tar) : "raw";
    checkSupported(format, spec);
    if (format.equals("raw")) {
      return new OpenedImage(LocalImage.openRead(path), "raw", spec);
    }
    if (format.equals("qcow2") && regular) {
      try {
        return new OpenedImage(Qcow2Image.open(path, spec), format, spec);
      } catch (UnsupportedQcow2Exception e) {
        Log.LOG.debug("reading through qemu-nbd: {}", e.getMessage());
      }
    }
    QemuNbd q = QemuNbd.serve(path, format);
    return new OpenedImage(q.openImage(), format, spec, path);
  }

  /**
   * The format {@link #open} gives the regular file at {@code path} when no format or member is
   * asked for: the probed one, or raw for a tar/OVA archive.
   */
  public static String formatOf(Path path) throws IOException {
    return formatOf(path, TarIndex.isTar(path));
  }

  private static String formatOf(Path path, boolean tar) throws IOException {
    // An archive without --member is a file like any other: its own bytes (sha256sum's view).
    return tar ? "raw" : ImageFormat.detect(path, 0);
  }

  private static void checkSupported(String format, String spec) {
    if (format.equals("luks")) {
      throw new IllegalArgumentException(
          spec + " is a LUKS-encrypted image; Intact cannot read it without its key");
    }
    if (!format.matches("[a-z0-9_-]+")) {
      throw new IllegalArgumentException("invalid image format name '" + format + "'");
    }
  }
}
