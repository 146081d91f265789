package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.nbd.client.NbdReadException;
import dev.intact.core.qcow2.Qcow2FormatException;
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

  @Test
  void aQcow2ThatCannotBeFollowedNamesTheFileOnce() {
    IOException bad =
        new Qcow2FormatException("disk.qcow2", "cluster_bits 30 is not between 9 and 21");
    assertThat(Messages.failure("disk.qcow2", bad))
        .isEqualTo(
            "disk.qcow2: not a readable qcow2 image: cluster_bits 30 is not between 9 and 21");
  }
}
