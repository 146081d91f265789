package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.server.http.Redaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void fileOverridesDefaults() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("serve.json"),
            """
            {"port": 1234, "control_socket": "/run/x.sock", "roots": ["/a", "/b"],
             "max_checksum_jobs": 5, "checksum_threads": 3, "idle_timeout": 7}
            """);
    ServerConfig c = ServerConfig.defaults().withFile(f);
    assertThat(c.dataPort()).isEqualTo(1234);
    assertThat(c.controlSocket()).hasValue(Path.of("/run/x.sock"));
    assertThat(c.roots()).containsExactly(Path.of("/a"), Path.of("/b"));
    assertThat(c.maxChecksumJobs()).isEqualTo(5);
    assertThat(c.checksumThreads()).isEqualTo(3);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.maxReaders()).isEqualTo(8);
    assertThat(c.cert()).isEqualTo(Optional.empty());
  }

  @Test
  void nbdAllowListsComeFromTheFileAndFlags() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("nbd.json"),
            """
            {"nbd_socket_dirs": ["/run/vdsm/nbd"], "nbd_hosts": ["nbd.example.org:10809"]}
            """);
    ServerConfig c = ServerConfig.defaults().withFile(f);
    assertThat(c.nbdSocketDirs()).containsExactly(Path.of("/run/vdsm/nbd"));
    assertThat(c.nbdHosts()).containsExactly("nbd.example.org:10809");
    ServerConfig flags = c.withNbdSocketDirs(List.of(dir)).withNbdHosts(List.of("h"));
    assertThat(flags.nbdSocketDirs()).containsExactly(dir);
    assertThat(flags.nbdHosts()).containsExactly("h");
    assertThat(ServerConfig.defaults().nbdSocketDirs()).isEmpty();
  }

  @Test
  void badFilesAreNamed() throws Exception {
    Path unknown = Files.writeString(dir.resolve("u.json"), "{\"prot\": 1}");
    assertThatThrownBy(() -> ServerConfig.defaults().withFile(unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read config file " + unknown)
        .hasMessageContaining("prot");
    Path broken = Files.writeString(dir.resolve("b.json"), "{");
    assertThatThrownBy(() -> ServerConfig.defaults().withFile(broken))
        .hasMessageContaining("cannot read config file " + broken);
    assertThatThrownBy(() -> ServerConfig.defaults().withLimits(0, 1, 1, 1))
        .hasMessageContaining("at least 1");
  }

  @Test
  void aConfigFileIsReadStrictlyAndEveryRefusalNamesIt() throws Exception {
    String[][] cases = {
      {"{\"port\": \"54322\"}", "port"},
      {"{\"port\": 70000}", "port must be a port number 0-65535, not 70000"},
      {"{\"control_port\": -1}", "control_port must be a port number"},
      {"{\"idle_timeout\": 1.5}", "idle_timeout"},
      {"{\"idle_timeout\": 0}", "idle_timeout must be at least 1 second"},
      {"{\"port\": 1} {}", "cannot read config file"},
      {"{\"roots\": [\"/a\", null]}", "a list holds null"},
      {"{\"roots\": [\"/a\\u0000b\"]}", "config file"},
      {"null", "is not a JSON object"},
    };
    for (String[] c : cases) {
      Path f = Files.writeString(dir.resolve("c.json"), c[0]);
      assertThatThrownBy(() -> ServerConfig.defaults().withFile(f))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(f.toString())
          .hasMessageContaining(c[1]);
    }
    assertThatThrownBy(() -> ServerConfig.defaults().withFile(dir.resolve("missing.json")))
        .hasMessage(
            "cannot read config file "
                + dir.resolve("missing.json")
                + ": No such file or directory");
  }

  @Test
  void logsNeverCarryATicketId() {
    String id = "abcdefghijklmnopqrstuvwxyz0123456789";
    assertThat(Redaction.path("/images/" + id + "/checksum-jobs/42"))
        .isEqualTo("/images/abcd…/checksum-jobs/42");
    assertThat(Redaction.path("/tickets/" + id)).isEqualTo("/tickets/abcd…");
    assertThat(Redaction.path("/api/v2/device/" + id + "/checksumJob"))
        .isEqualTo("/api/v2/device/abcd…/checksumJob");
    assertThat(Redaction.path("/other/" + id)).isEqualTo("/other/…");
    assertThat(List.of(Redaction.path("/images/"))).containsExactly("/images/…");
  }
}
