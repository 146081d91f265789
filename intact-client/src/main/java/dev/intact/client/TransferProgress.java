package dev.intact.client;

/** Told how many bytes of a transfer are done, from any worker thread. */
@FunctionalInterface
public interface TransferProgress {
  TransferProgress NONE = (done, total) -> {};

  void update(long done, long total);
}
