/**
 * The Network Block Device protocol's wire format (the NBD project's {@code doc/proto.md}): the
 * messages as records, and a codec that turns bytes into those records and back without doing any
 * I/O, so it can be fed arbitrary bytes (fuzzed) and shared by {@code nbd.client} and {@code
 * nbd.server}.
 */
package dev.intact.core.nbd.wire;
