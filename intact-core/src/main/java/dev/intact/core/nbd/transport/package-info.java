/**
 * Socket plumbing the NBD client and server share: exact reads and writes on channels, and a
 * watchdog that closes a channel whose peer stops answering. The wire format itself is in {@code
 * nbd.wire}, which does no I/O.
 */
package dev.intact.core.nbd.transport;
