package dev.intact.spark;

import java.io.Serializable;

/**
 * What a task sends back for a {@link Piece}: only digests, never data. For a whole-stream checksum
 * the value of the piece's bytes; for a block-hash list the digests of its blocks, in order,
 * concatenated.
 */
// The digests travel as one array (the cheapest thing to serialize); a PieceDigest is never
// compared or hashed, so array identity semantics do not matter.
@SuppressWarnings("ArrayRecordComponent")
record PieceDigest(int file, int index, long length, byte[] bytes) implements Serializable {}
