package dev.intact.core.nbd.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz targets for the NBD codec and the server's message checking. A normal test run
 * replays the committed corpus in {@code
 * src/test/resources/dev/intact/core/nbd/wire/NbdFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for
 * real. Any exception other than {@link NbdProtocolException} escaping, or a hang, is a finding.
 */
class NbdFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void serverSession(byte[] clientBytes) {
    FuzzHarness.serve(clientBytes);
  }

  @FuzzTest(maxDuration = "60s")
  void decoders(byte[] data) {
    FuzzHarness.decode(data);
  }
}
