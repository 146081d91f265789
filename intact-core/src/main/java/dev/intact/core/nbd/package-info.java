/**
 * The Network Block Device protocol (the NBD project's {@code doc/proto.md}): wire messages as
 * records, a codec that turns bytes into those records and back without doing any I/O (so it can be
 * fuzzed), a client ({@link dev.intact.core.nbd.NbdClient}), a server ({@link
 * dev.intact.core.nbd.NbdServer}), an {@link dev.intact.core.io.Image} over an export ({@link
 * dev.intact.core.nbd.NbdImage}) and a supervisor for {@code qemu-nbd} ({@link
 * dev.intact.core.nbd.QemuNbd}).
 */
package dev.intact.core.nbd;
