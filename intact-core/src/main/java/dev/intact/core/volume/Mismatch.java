package dev.intact.core.volume;

/**
 * A block whose data does not match its tag (or whose tag entry is itself damaged).
 *
 * @param expected the stored tag, hex (or {@code entry:HEX} for a damaged entry)
 * @param actual the tag the data has, hex
 */
public record Mismatch(long block, String expected, String actual) {}
