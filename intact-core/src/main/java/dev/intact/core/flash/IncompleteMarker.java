package dev.intact.core.flash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Says that a destination file is not a verified copy of its image: {@code DEST.intact-incomplete}
 * beside it, created before the first write and removed only once every range is verified, so that
 * a crash, a kill or a failure all leave it. A block device gets no marker: nothing beside {@code
 * /dev/sdX} outlives a reboot, and writing into the device would change the bytes being inspected;
 * there the failure message and the exit status are the marker.
 */
public final class IncompleteMarker {
  public static final String SUFFIX = ".intact-incomplete";

  private final Path path;

  private IncompleteMarker(Path path) {
    this.path = path;
  }

  /** The marker path for a destination file. */
  public static Path pathFor(Path destination) {
    return destination.resolveSibling(destination.getFileName() + SUFFIX);
  }

  /**
   * Creates the marker of a destination file, saying what is being written there.
   *
   * @throws IOException naming the destination and the reason when the marker cannot be written (a
   *     directory the user may not write to): nothing has been written then
   */
  public static IncompleteMarker create(Path destination, String image) throws IOException {
    Path p = pathFor(destination);
    try {
      Files.writeString(
          p,
          "intact: "
              + destination
              + " is NOT a verified copy of "
              + image
              + " (flash started "
              + Instant.now()
              + "; this file is removed when the flash is verified)\n",
          StandardCharsets.UTF_8);
    } catch (FileSystemException e) {
      // Java's message is the bare path; say what was being done and why it failed.
      String reason =
          e instanceof AccessDeniedException
              ? "Permission denied"
              : e instanceof NoSuchFileException
                  ? "No such file or directory"
                  : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      throw new IOException(
          destination
              + ": cannot write there (creating "
              + p.getFileName()
              + " beside it: "
              + reason
              + "); nothing was written",
          e);
    }
    return new IncompleteMarker(p);
  }

  public Path path() {
    return path;
  }

  /** Appends why the flash failed. */
  public void record(String reason) throws IOException {
    Files.writeString(
        path, reason + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
  }

  /** Removes the marker: the destination is verified. */
  public void clear() throws IOException {
    Files.deleteIfExists(path);
  }
}
