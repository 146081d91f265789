package dev.intact.core.nbd.wire;

import java.util.List;

/** Payload of NBD_OPT_SET_META_CONTEXT and NBD_OPT_LIST_META_CONTEXT. */
public record MetaContextQuery(String exportName, List<String> queries) {
  public MetaContextQuery {
    queries = List.copyOf(queries);
  }
}
