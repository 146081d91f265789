package dev.intact.core.nbd.wire;

import java.util.OptionalLong;

/** NBD_REPLY_TYPE_ERROR or NBD_REPLY_TYPE_ERROR_OFFSET (then {@code offset} is present). */
public record ErrorChunk(int error, String message, OptionalLong offset) {}
