package dev.intact.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerPathsTest {
  @Test
  void absolutePathsInAMessageAreReplacedAndRangesKept() {
    assertThat(ServerPaths.scrub("/proc/self/fd/12 ends at 4096, before 65536"))
        .isEqualTo("(server path) ends at 4096, before 65536");
    assertThat(ServerPaths.scrub("pwrite /srv/images/a.raw: EIO (errno 5)"))
        .isEqualTo("pwrite (server path): EIO (errno 5)");
    assertThat(ServerPaths.scrub("cannot open '/srv/x y' here"))
        .isEqualTo("cannot open '(server path) y' here");
    assertThat(ServerPaths.scrub("bytes 0-99/200 out of range"))
        .isEqualTo("bytes 0-99/200 out of range");
    assertThat(ServerPaths.scrub(null)).isEmpty();
  }
}
