package dev.intact.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PipelineTest {

  @Test
  void itemsFlowThroughEveryStageInOrderAndTheLastStageSeesTheEnd() throws Exception {
    Pipeline p = new Pipeline("test");
    Channel<Integer> numbers = p.channel(2);
    Channel<Integer> doubled = p.channel(2);
    p.start(
        "producer",
        numbers,
        () -> {
          for (int i = 0; i < 100; i++) {
            numbers.put(i);
          }
        });
    p.start(
        "doubler",
        doubled,
        () -> {
          Integer i;
          while ((i = numbers.take()) != null) {
            doubled.put(2 * i);
          }
        });
    List<Integer> got = new ArrayList<>();
    p.run(
        () -> {
          Integer i;
          while ((i = doubled.take()) != null) {
            got.add(i);
          }
        });
    assertThat(got).hasSize(100).startsWith(0, 2, 4).endsWith(198);
  }

  @Test
  void aFailingStageReleasesAProducerBlockedOnAFullChannelAndItsExceptionIsThrown() {
    Pipeline p = new Pipeline("test");
    Channel<Integer> numbers = p.channel(1);
    p.start(
        "producer",
        numbers,
        () -> {
          for (int i = 0; ; i++) {
            numbers.put(i); // blocks on the second item: nobody takes it
          }
        });
    assertThatThrownBy(
            () ->
                p.run(
                    () -> {
                      numbers.take();
                      throw new IOException("disk on fire at 4096");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("disk on fire at 4096");
    assertThat(p.failed()).isTrue();
  }

  @Test
  void aFailureReleasesAStageWaitingForABufferFromAnEmptyPool() throws Exception {
    Pipeline p = new Pipeline("test");
    Channel<byte[]> pool = p.pool(List.of(new byte[1]));
    CountDownLatch tookTheOnlyBuffer = new CountDownLatch(1);
    p.start(
        "reader",
        null,
        () -> {
          pool.take();
          tookTheOnlyBuffer.countDown();
          pool.take(); // never given back: waits until the pipeline fails
        });
    tookTheOnlyBuffer.await();
    assertThatThrownBy(
            () ->
                p.run(
                    () -> {
                      throw new IllegalStateException("hasher broke");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("hasher broke");
  }

  @Test
  void cancelStopsWaitingStagesWithoutThrowing() throws Exception {
    Pipeline p = new Pipeline("test");
    Channel<String> in = p.channel(1);
    p.start(
        "consumer",
        null,
        () -> {
          while (in.take() != null) {
            // nothing is ever put
          }
        });
    p.cancel();
    assertThat(p.failed()).isTrue();
    assertThatThrownBy(() -> in.put("late")).isInstanceOf(CancellationException.class);
  }

  @Test
  void aClosedChannelGivesWhatItHoldsThenNull() throws Exception {
    Channel<String> c = new Channel<>(4);
    c.put("a");
    c.put("b");
    c.close();
    assertThat(c.take()).isEqualTo("a");
    assertThat(c.take()).isEqualTo("b");
    assertThat(c.take()).isNull();
    assertThatThrownBy(() -> c.put("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("put after close");
  }

  @Test
  void drainToTakesEverythingThereIsWithoutWaiting() throws Exception {
    Channel<Integer> c = new Channel<>(8);
    List<Integer> batch = new ArrayList<>();
    assertThat(c.drainTo(batch)).isZero();
    c.put(1);
    c.put(2);
    assertThat(c.drainTo(batch)).isEqualTo(2);
    assertThat(batch).containsExactly(1, 2);
  }

  @Test
  void aChannelHoldsAtLeastOneItem() {
    assertThatThrownBy(() -> new Channel<String>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a channel holds at least one item, not 0");
  }
}
