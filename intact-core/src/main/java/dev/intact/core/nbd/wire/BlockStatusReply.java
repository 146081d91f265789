package dev.intact.core.nbd.wire;

import java.util.List;
import java.util.Map;

/**
 * The answer to NBD_CMD_BLOCK_STATUS at {@code offset}: for each negotiated meta context name, its
 * descriptors, consecutive from {@code offset}.
 */
public record BlockStatusReply(long offset, Map<String, List<BlockDescriptor>> contexts) {
  public BlockStatusReply {
    contexts = Map.copyOf(contexts);
  }

  /** The descriptors of a context, or an empty list if the server sent none for it. */
  public List<BlockDescriptor> of(String context) {
    return contexts.getOrDefault(context, List.of());
  }
}
