package dev.intact.core.flash;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapFormatException;
import dev.intact.core.bmap.BmapParser;
import dev.intact.core.image.ImageBusyException;
import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A whole flash as the command line runs it: find and verify the bmap, open the source and the
 * destination, mark a destination file incomplete until every range is verified, flash.
 */
public final class FlashJob {
  private FlashJob() {}

  /** The report, and the marker left beside a destination file that is not verified. */
  public record Outcome(FlashReport report, Optional<Path> marker) {}

  /**
   * Flashes, verifies and reports; progress goes to {@code listener} as it happens.
   *
   * @throws BmapFormatException if the bmap is malformed or tampered with (nothing is written)
   * @throws IOException if the flash cannot start or cannot go on; a destination file keeps its
   *     marker
   */
  public static Outcome run(FlashRequest req, InputStream stdin, FlashListener listener)
      throws IOException, BmapFormatException, InterruptedException {
    boolean fromStdin = req.image().equals(FlashRequest.STDIN);
    // What the source is, by its descriptor: standard input may be the destination redirected.
    Optional<SameFile.Identity> sourceIdentity =
        SameFile.of(fromStdin ? Path.of("/proc/self/fd/0") : Path.of(req.image()));
    if (sourceIdentity.isPresent() && Files.exists(req.destination())) {
      Optional<SameFile.Identity> dest = SameFile.of(req.destination());
      if (dest.isPresent()) {
        SameFile.refuse(
            sourceIdentity.get(), req.image(), dest.get(), req.destination().toString());
      }
    }
    Bmap bmap = null;
    String bmapName = "-";
    if (!req.noBmap()) {
      Path bmapPath;
      if (req.bmap().isPresent()) {
        bmapPath = req.bmap().get();
      } else if (fromStdin) {
        throw new IOException(
            "the image comes from standard input, so its bmap cannot be discovered: give --bmap"
                + " FILE, or flash the whole image with --nobmap");
      } else {
        bmapPath = BmapDiscovery.require(Path.of(req.image()));
        listener.info("using bmap " + bmapPath);
      }
      bmap = BmapParser.parse(bmapPath);
      bmapName = bmapPath.toString();
    }
    ImageSource source =
        fromStdin
            ? ImageSource.stream(FlashRequest.STDIN, stdin)
            : ImageSource.file(Path.of(req.image()));

    Path dest = req.destination();
    boolean file = !Files.exists(dest) || Files.isRegularFile(dest);
    IncompleteMarker marker = file ? IncompleteMarker.create(dest, req.image()) : null;
    LocalImage target;
    try {
      target = openDestination(dest, sourceIdentity, req.image());
    } catch (IOException | RuntimeException e) {
      if (marker != null) {
        marker.clear(); // the destination was not touched
      }
      throw e;
    }
    try (target) {
      FlashReport report =
          new Flasher(req.options(), listener).flash(source, bmap, bmapName, target);
      if (marker == null) {
        return new Outcome(report, Optional.empty());
      }
      if (report.succeeded()) {
        marker.clear();
        return new Outcome(report, Optional.empty());
      }
      for (RangeFailure f : report.failures()) {
        marker.record(f.toString());
      }
      return new Outcome(report, Optional.of(marker.path()));
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (marker != null) {
        marker.record(String.valueOf(e.getMessage()));
      }
      throw e;
    }
  }

  /**
   * Opens {@code path} as a flash destination: a block device, claimed exclusively (the kernel
   * refuses while it or a partition of it is mounted or held by another program), or a regular
   * file, created or emptied so that no old contents show through the holes of the new image.
   *
   * @throws TargetBusyException if the device is in use
   * @throws IOException naming the path when it is neither a file nor a block device
   */
  static LocalImage openDestination(Path path) throws IOException {
    return openDestination(path, Optional.empty(), "");
  }

  /**
   * As {@link #openDestination(Path)}, refusing (before anything is emptied or written) a
   * destination that is the source {@code source} names, whatever name led to it.
   *
   * @throws SameFileException if the destination opened is the source
   */
  static LocalImage openDestination(
      Path path, Optional<SameFile.Identity> source, String sourceName) throws IOException {
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      LocalImage device;
      try {
        device = LocalImage.openWrite(path);
      } catch (ImageBusyException e) {
        throw new TargetBusyException(path.toString());
      }
      try {
        if (!device.isBlockDevice()) {
          throw new IOException(
              path + ": is neither a block device nor a regular file; refusing to flash to it");
        }
        refuseSource(device, path, source, sourceName);
        return device;
      } catch (IOException | RuntimeException e) {
        device.close();
        throw e;
      }
    }
    if (Files.isSymbolicLink(path) && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(path + ": is a dangling symbolic link");
    }
    LocalImage file = Files.exists(path) ? LocalImage.openWrite(path) : LocalImage.create(path, 0);
    try {
      // Checked on the descriptor that will be emptied: a name swapped since cannot slip by.
      refuseSource(file, path, source, sourceName);
      file.resize(0);
      return file;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private static void refuseSource(
      LocalImage target, Path path, Optional<SameFile.Identity> source, String sourceName)
      throws IOException {
    if (source.isPresent()) {
      SameFile.refuse(source.get(), sourceName, SameFile.of(target.nativeFile()), path.toString());
    }
  }
}
