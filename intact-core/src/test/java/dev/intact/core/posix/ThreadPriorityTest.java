package dev.intact.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A thread lowers its own CPU priority: not its process's, and never back up. */
class ThreadPriorityTest {

  /** Runs {@code body} on a new platform thread and returns what it returned. */
  static <T> T onNewThread(ThrowingSupplier<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    result.complete(body.get());
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                });
    t.join();
    return result.get();
  }

  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  /** The nice value of a new thread that lowered its priority to each of {@code values}. */
  static int niceAfterLowering(int... values) throws Exception {
    return onNewThread(
        () -> {
          for (int v : values) {
            ThreadPriority.lower(v);
          }
          return ThreadPriority.nice();
        });
  }

  @Test
  void aThreadLowersItsOwnPriorityAndNotItsCallers() throws Exception {
    int mine = ThreadPriority.nice();
    assertThat(niceAfterLowering(10)).isEqualTo(Math.max(mine, 10));
    assertThat(ThreadPriority.nice()).isEqualTo(mine);
  }

  @Test
  void threadsItStartsAfterwardInheritThePriority() throws Exception {
    int mine = ThreadPriority.nice();
    int child =
        onNewThread(
            () -> {
              ThreadPriority.lower(12);
              return onNewThread(ThreadPriority::nice);
            });
    assertThat(child).isEqualTo(Math.max(mine, 12));
  }

  @Test
  void aLowerValueAskedForLaterDoesNotRaiseIt() throws Exception {
    int mine = ThreadPriority.nice();
    assertThat(niceAfterLowering(15, 5)).isEqualTo(Math.max(mine, 15));
  }

  @Test
  void aVirtualThreadIsRefusedForItsCarrierWouldKeepTheValue() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                ThreadPriority.lower(10);
                thrown.complete(null);
              } catch (Throwable e) {
                thrown.complete(e);
              }
            })
        .join();
    assertThat(thrown.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("virtual thread");
  }
}
