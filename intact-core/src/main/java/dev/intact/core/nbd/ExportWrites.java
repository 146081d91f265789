package dev.intact.core.nbd;

import java.io.IOException;

/**
 * The writes a read-write export needs from its storage: the same three operations as {@code
 * dev.intact.core.io.WritableImage}, so any writable image adapts with method references.
 */
public interface ExportWrites {
  void write(long position, byte[] src, int offset, int length) throws IOException;

  /** Makes a range read as zeros as cheaply as the storage allows (a punched hole, say). */
  void zero(long position, long length) throws IOException;

  void flush() throws IOException;
}
