package dev.intact.core.nbd.wire;

import java.util.Set;

/**
 * What the handshake told about an export: its size, transmission flags, block size constraints (1
 * / 4096 / 32 MiB when the server gave none), and the meta contexts the server agreed to.
 */
public record ExportInfo(
    String name,
    long size,
    int transmissionFlags,
    int minimumBlockSize,
    int preferredBlockSize,
    int maximumBlockSize,
    boolean structuredReplies,
    Set<String> metaContexts) {

  /** The protocol's suggested maximum payload when a server announces none. */
  public static final int DEFAULT_MAXIMUM_BLOCK_SIZE = 32 << 20;

  public ExportInfo {
    metaContexts = Set.copyOf(metaContexts);
  }

  public boolean readOnly() {
    return (transmissionFlags & Nbd.FLAG_READ_ONLY) != 0;
  }

  public boolean has(int transmissionFlag) {
    return (transmissionFlags & transmissionFlag) != 0;
  }
}
