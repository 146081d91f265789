package dev.intact.server.image;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the storage of a ticket. Tests wrap the real one to inject faults. */
@FunctionalInterface
public interface BackendFactory {

  ImageBackend open(Path path, boolean blockDevice, boolean writable) throws IOException;

  /** Regular files and block devices through the core I/O layer. */
  BackendFactory STORAGE = (path, blockDevice, writable) -> LocalBackend.open(path, writable);
}
