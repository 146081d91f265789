package dev.intact.cli;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.image.ByteRange;

/** A computed checksum of one input, with the range it covers when one was asked for. */
record SumResult(String file, Checksum checksum, ByteRange range) {}
