package dev.intact.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InOrderTest {
  @Test
  void anItemComesOutOnlyOnceEveryEarlierOneHas() {
    InOrder<String> inOrder = new InOrder<>();
    assertThat(inOrder.add(1, "b")).isEmpty();
    assertThat(inOrder.add(3, "d")).isEmpty();
    assertThat(inOrder.waiting()).isEqualTo(2);
    assertThat(inOrder.add(0, "a")).containsExactly("a", "b");
    assertThat(inOrder.waiting()).isEqualTo(1);
    assertThat(inOrder.add(2, "c")).containsExactly("c", "d");
    assertThat(inOrder.add(4, "e")).containsExactly("e");
    assertThat(inOrder.waiting()).isZero();
  }

  @Test
  void anyArrivalOrderGivesTheNumberedOrder() {
    int[] arrival = {5, 2, 0, 7, 1, 3, 6, 4};
    InOrder<Integer> inOrder = new InOrder<>();
    List<Integer> out = new ArrayList<>();
    for (int seq : arrival) {
      out.addAll(inOrder.add(seq, seq));
    }
    assertThat(out).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void anItemTakenTwiceIsRefused() {
    InOrder<String> inOrder = new InOrder<>();
    inOrder.add(0, "a");
    inOrder.add(2, "c");
    assertThatThrownBy(() -> inOrder.add(0, "a again"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("item 0 was taken already");
    assertThatThrownBy(() -> inOrder.add(2, "c again"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("item 2 was taken already");
  }
}
