package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.nbd.client.NbdReadException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void anNbdReadThatLostItsConnectionNamesTheImageOnceWithTheOffset() {
    IOException lost =
        new NbdReadException(
            "disk.qcow2",
            "read",
            4096,
            65536,
            new IOException("nbd+unix:///?socket=/tmp/s: server closed the connection"));
    assertThat(Messages.failure("disk.qcow2", lost))
        .isEqualTo(
            "disk.qcow2: read of 65536 bytes at offset 4096 failed: "
                + "nbd+unix:///?socket=/tmp/s: server closed the connection");
  }
}
