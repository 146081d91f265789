package dev.intact.cli;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;

/**
 * One well-formed line of a sum file: the file to check, what kind of checksum the line holds and
 * its expected value; {@code range} is set only by JSON lines that carry one; {@code untagged} for
 * {@code HEX NAME} lines, whose algorithm is not in the line but from {@code -a} or the default.
 */
record CheckEntry(
    String file, ChecksumType type, HashCode expected, RangeSpec range, boolean untagged) {}
