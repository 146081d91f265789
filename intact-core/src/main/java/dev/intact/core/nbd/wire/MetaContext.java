package dev.intact.core.nbd.wire;

/** An NBD_REP_META_CONTEXT reply: the id the server will use for a context in block status. */
public record MetaContext(int id, String name) {}
