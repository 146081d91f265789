package dev.intact.server;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target for the daemon's config file ({@code intact serve --config FILE}): {@link
 * ServerConfig#withFileContent} either refuses with an {@link IllegalArgumentException} naming the
 * file (what {@code serve} prints in one line) or returns a config whose values are usable (ports
 * 0-65535, limits at least 1, an idle timeout of at least a second). Its corpus is in {@code
 * src/test/resources/dev/intact/server/ServerConfigFuzzTestInputs}.
 */
class ServerConfigFuzzTest {
  private static final ServerConfig DEFAULTS = ServerConfig.defaults();

  @FuzzTest(maxDuration = "60s")
  void configFile(byte[] json) {
    ServerConfig c;
    try {
      c = DEFAULTS.withFileContent(json, "fuzz.json");
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || !e.getMessage().contains("fuzz.json")) {
        throw new AssertionError("a refusal that does not name the file: " + e.getMessage(), e);
      }
      return;
    }
    if (c.dataPort() < 0
        || c.dataPort() > 65535
        || c.controlPort() < 0
        || c.controlPort() > 65535) {
      throw new AssertionError("accepted ports " + c.dataPort() + ", " + c.controlPort());
    }
    if (c.maxReaders() < 1 || c.maxWriters() < 1 || c.maxChecksumJobs() < 1) {
      throw new AssertionError("accepted limits below 1: " + c);
    }
    if (c.idleTimeout().toSeconds() < 1) {
      throw new AssertionError("accepted idle timeout " + c.idleTimeout());
    }
  }
}
