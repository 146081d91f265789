package dev.intact.cli.record;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a task per item on a pool of threads and hands the results over in the items' order, with a
 * bounded number in flight (a tree of a million files does not queue a million tasks).
 */
final class InOrder {
  private InOrder() {}

  static <T, R> void run(List<T> items, int threads, Function<T, R> task, Consumer<R> sink) {
    if (threads <= 1) {
      items.forEach(i -> sink.accept(task.apply(i)));
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Deque<Future<R>> inFlight = new ArrayDeque<>();
      int window = threads * 4;
      for (T item : items) {
        inFlight.add(pool.submit(() -> task.apply(item)));
        if (inFlight.size() >= window) {
          sink.accept(await(inFlight.removeFirst()));
        }
      }
      while (!inFlight.isEmpty()) {
        sink.accept(await(inFlight.removeFirst()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <R> R await(Future<R> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
