package dev.intact.server.image;

import dev.intact.core.nbd.client.NbdUri;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the storage of a ticket. Tests wrap the real one to inject faults. */
@FunctionalInterface
public interface BackendFactory {

  ImageBackend open(Path path, boolean blockDevice, boolean writable) throws IOException;

  /** An NBD export: through the core's NBD client unless a test wraps it. */
  default ImageBackend openNbd(NbdUri uri, boolean writable) throws IOException {
    return StorageBackend.nbd(uri, writable);
  }

  /** Regular files and block devices through the core I/O layer. */
  BackendFactory STORAGE = (path, blockDevice, writable) -> StorageBackend.local(path, writable);
}
