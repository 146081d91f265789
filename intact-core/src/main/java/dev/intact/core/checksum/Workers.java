package dev.intact.core.checksum;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A fixed set of platform threads taking tasks in order, each with its own state (a hasher and its
 * read buffer). Not an ExecutorService: {@link #stop} joins the threads, so none outlives the
 * computation or touches the image once its caller closes it.
 */
final class Workers<S> {
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  // A sentinel compared by identity: the lambda object is the point, not what it does.
  @SuppressWarnings("UnnecessaryLambda")
  private final Consumer<S> stop = state -> {};

  private final LinkedBlockingQueue<Consumer<S>> tasks = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  /** Starts {@code count} threads named {@code name-POOL-I}, each with {@code state.get()}. */
  Workers(String name, int count, Supplier<S> state) {
    int pool = POOL_NUMBER.incrementAndGet();
    for (int i = 1; i <= count; i++) {
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .name(name + "-" + pool + "-" + i)
              .start(() -> work(state.get())));
    }
  }

  private void work(S state) {
    try {
      for (Consumer<S> task; (task = tasks.take()) != stop; ) {
        task.accept(state);
      }
    } catch (InterruptedException e) {
      // stop
    }
  }

  /** Queues a task; it must handle its own failures (complete a future exceptionally). */
  void submit(Consumer<S> task) {
    tasks.add(task);
  }

  /** Waits for a task's result, rethrowing its failure as it was thrown. */
  static <T> T await(Future<T> done) throws IOException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        case Throwable t -> throw new IOException(t);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    }
  }

  /** Drops the tasks not started and waits for the running ones and their threads to end. */
  void stop() {
    tasks.clear();
    for (int i = 0; i < threads.size(); i++) {
      tasks.add(stop);
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
