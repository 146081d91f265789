package dev.intact.client;

/**
 * Told how many bytes of a transfer are done, from any worker thread, and (from the transfer's own
 * thread) which phase it is in, so that a progress bar can show a verification that sends nothing.
 */
@FunctionalInterface
public interface TransferProgress {
  TransferProgress NONE = (done, total) -> {};

  void update(long done, long total);

  /** A phase begins; its bytes are counted from 0 again. */
  default void phase(Phase phase) {}

  /** What a transfer is doing. */
  enum Phase {
    /** Reading the source and writing the destination. */
    SENDING,
    /** Reading the source only (--verify-only). */
    READING,
    /** Both sides' checksums being computed and compared; no byte count. */
    VERIFYING,
    /** Resending the blocks that differ. */
    REPAIRING
  }
}
