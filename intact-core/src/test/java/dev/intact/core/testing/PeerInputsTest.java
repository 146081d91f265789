package dev.intact.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java inputs are byte for byte the files {@code peer_inputs.py} wrote for the real peers,
 * holes included, so the fixtures' values apply to what the tests hash.
 */
class PeerInputsTest {
  @TempDir Path dir;

  @Test
  void javaInputsEqualTheScriptThatFedThePeers() throws IOException, URISyntaxException {
    Path script = Path.of(PeerInputsTest.class.getResource("/peers/peer_inputs.py").toURI());
    Path fromScript = Files.createDirectory(dir.resolve("py"));
    ExternalTool.of("python3", "python3").run(script.toString(), fromScript.toString());
    Path fromJava = Files.createDirectory(dir.resolve("java"));
    assertThat(PeerInputs.names()).hasSize(8);
    for (String name : PeerInputs.names()) {
      Path j = PeerInputs.write(fromJava, name);
      Path p = fromScript.resolve(name + ".raw");
      assertThat(Files.mismatch(j, p)).as(name).isEqualTo(-1L);
      assertThat(Files.readAllBytes(j)).as(name).isEqualTo(PeerInputs.bytes(name));
      assertThat(Files.size(j)).isEqualTo(PeerInputs.size(name));
    }
  }

  @Test
  void splitMix64StartsWithItsPublishedFirstOutput() {
    // SplitMix64 seeded with 0 first returns 0xe220a8397b1dcdaf (Vigna's reference code).
    assertThat(PeerInputs.splitMix64(0, 8))
        .containsExactly(0xaf, 0xcd, 0x1d, 0x7b, 0x39, 0xa8, 0x20, 0xe2);
  }

  @Test
  void fixturesHaveARowForEveryInputInEachPeer() {
    for (String file : new String[] {"blksum.tsv", "imageio-client.tsv", "imageio-daemon.tsv"}) {
      assertThat(PeerFixtures.read(file))
          .extracting(PeerFixtures.Row::input)
          .as(file)
          .containsAll(PeerInputs.names());
    }
  }
}
