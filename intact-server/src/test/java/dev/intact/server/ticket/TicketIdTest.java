package dev.intact.server.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TicketIdTest {
  @Test
  void randomIdsAre43Base64urlCharactersThatNeverBeginWithADash() {
    // One id in 64 would begin with '-' if nothing prevented it: 10,000 draws find one.
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = TicketId.random();
      assertThat(id).hasSize(43).matches("[A-Za-z0-9_-]+").doesNotStartWith("-");
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }
}
