package dev.intact.core.checksum;

import dev.intact.core.image.ForwardingImage;
import dev.intact.core.image.Image;
import dev.intact.core.image.PendingRead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An image whose reads finish later, on other threads and in no particular order, as an NBD
 * server's replies do: the engine's read-ahead path, without a server.
 */
final class LateReadsImage extends ForwardingImage {
  private final ExecutorService readers = Executors.newFixedThreadPool(3);
  private final AtomicInteger started = new AtomicInteger();

  LateReadsImage(Image delegate) {
    super(delegate);
  }

  /** How many reads were started with {@link #startRead}. */
  int started() {
    return started.get();
  }

  @Override
  public PendingRead startRead(long position, byte[] dst, int offset, int length) {
    started.incrementAndGet();
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              try {
                delegate().readFully(position, dst, offset, length);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            readers);
    return () -> {
      try {
        done.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        throw e;
      }
    };
  }

  @Override
  public boolean pipelinesReads() {
    return true;
  }

  @Override
  public void close() throws IOException {
    readers.shutdownNow();
    super.close();
  }
}
