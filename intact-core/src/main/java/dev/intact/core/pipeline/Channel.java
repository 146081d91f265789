package dev.intact.core.pipeline;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded hand-over between two stages of a {@link Pipeline}. The producer {@link #put puts} and
 * then {@link #close closes}; the consumer {@link #take takes} until it gets {@code null}: the end
 * is a state of the channel, never a marker object travelling in it. When a stage fails, the
 * pipeline {@link #cancel cancels} every channel, and each blocked or later put and take throws
 * {@link CancellationException}, so no stage waits forever for one that is gone.
 *
 * <p>A pool of reusable buffers is a channel that starts full ({@link #put} them back after use).
 *
 * @param <T> what travels in it
 */
public final class Channel<T> {
  private final int capacity;
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean closed; // guarded by lock
  private boolean cancelled; // guarded by lock

  /** An empty channel that holds at most {@code capacity} items. */
  public Channel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a channel holds at least one item, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** A channel holding {@code initial} (and room for no more): a pool. */
  public Channel(Collection<? extends T> initial) {
    this(Math.max(1, initial.size()));
    items.addAll(initial);
  }

  /**
   * Adds {@code item}, waiting while the channel is full.
   *
   * @throws CancellationException if the pipeline was cancelled
   * @throws IllegalStateException if the channel was closed: a producer put after its end
   */
  public void put(T item) throws InterruptedException {
    java.util.Objects.requireNonNull(item, "item");
    lock.lockInterruptibly();
    try {
      while (items.size() >= capacity && !cancelled) {
        changed.await();
      }
      if (cancelled) {
        throw new CancellationException("the pipeline was cancelled");
      }
      if (closed) {
        throw new IllegalStateException("put after close");
      }
      items.add(item);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next item, waiting while the channel is empty and open; {@code null} once it is closed and
   * empty.
   *
   * @throws CancellationException if the pipeline was cancelled
   */
  public T take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (items.isEmpty() && !closed && !cancelled) {
        changed.await();
      }
      if (cancelled) {
        throw new CancellationException("the pipeline was cancelled");
      }
      T item = items.poll();
      if (item != null) {
        changed.signalAll();
      }
      return item;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves every item there is now into {@code into} without waiting: how a consumer takes a batch.
   *
   * @return how many were moved
   * @throws CancellationException if the pipeline was cancelled
   */
  public int drainTo(Collection<? super T> into) {
    lock.lock();
    try {
      if (cancelled) {
        throw new CancellationException("the pipeline was cancelled");
      }
      int n = items.size();
      into.addAll(items);
      items.clear();
      changed.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the channel: the consumer takes what is left, then {@code null}. */
  public void close() {
    changeState(() -> closed = true);
  }

  /** Makes every waiting and later put or take throw; what it held is dropped. */
  public void cancel() {
    changeState(
        () -> {
          cancelled = true;
          items.clear();
        });
  }

  private void changeState(Runnable change) {
    lock.lock();
    try {
      change.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
