package dev.intact.client;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes a transfer sent as data and as zero requests, counted by every worker. */
record TransferStats(AtomicLong data, AtomicLong zero) {
  TransferStats() {
    this(new AtomicLong(), new AtomicLong());
  }
}
