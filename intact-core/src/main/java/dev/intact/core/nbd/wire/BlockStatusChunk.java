package dev.intact.core.nbd.wire;

import java.util.List;

/** An NBD_REPLY_TYPE_BLOCK_STATUS chunk: the descriptors of one meta context. */
public record BlockStatusChunk(int contextId, List<BlockDescriptor> descriptors) {
  public BlockStatusChunk {
    descriptors = List.copyOf(descriptors);
  }
}
