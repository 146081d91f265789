package dev.intact.core.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Puts back into their order items that several workers of a stage finish out of order: items are
 * numbered 0, 1, 2... when handed out, and item n comes out only once every item before it has. Not
 * thread-safe: the one stage that consumes the workers' output owns it.
 *
 * @param <T> what is put back in order
 */
public final class InOrder<T> {
  private record Numbered<T>(long seq, T item) {}

  private final PriorityQueue<Numbered<T>> early =
      new PriorityQueue<>(Comparator.comparingLong(Numbered::seq));
  private long next;

  /**
   * Takes item number {@code seq} and returns the items that are now in order: none while an
   * earlier one is missing, else this one and every held-back one that follows it without a gap.
   *
   * @throws IllegalArgumentException if item {@code seq} was taken already
   */
  public List<T> add(long seq, T item) {
    if (seq < next || early.stream().anyMatch(n -> n.seq() == seq)) {
      throw new IllegalArgumentException("item " + seq + " was taken already");
    }
    early.add(new Numbered<>(seq, item));
    List<T> ready = new ArrayList<>();
    while (!early.isEmpty() && early.peek().seq() == next) {
      ready.add(early.poll().item());
      next++;
    }
    return ready;
  }

  /** How many items are held back, waiting for an earlier one. */
  public int waiting() {
    return early.size();
  }
}
