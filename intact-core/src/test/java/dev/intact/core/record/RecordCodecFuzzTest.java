package dev.intact.core.record;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz targets for the record parsers: the XRootD 96-byte attribute, Intact's own attribute
 * and the manifest's lines all come from files anyone may have written. A normal test run replays
 * the corpus in {@code src/test/resources/dev/intact/core/record/RecordCodecFuzzTestInputs} (seeded
 * with real records written by XRootD 5.5.3); {@code scripts/fuzz} fuzzes for real. The only
 * acceptable failure is {@link MalformedRecordException}; what decodes must encode back to a record
 * that decodes equal.
 */
class RecordCodecFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void xrdCks(byte[] data) throws MalformedRecordException {
    for (String name : List.of("adler32", "md5", "zcrc32")) {
      XrdCksRecord r;
      try {
        r = XrdCksRecord.decode(name, data);
      } catch (MalformedRecordException e) {
        continue;
      }
      byte[] again = r.encode();
      if (!XrdCksRecord.decode(name, again).equals(r)) {
        throw new AssertionError(r + " does not decode back equal");
      }
      // Only the reserved bytes 28-30 may differ from the input: they are not interpreted.
      byte[] masked = data.clone();
      Arrays.fill(masked, 28, 31, (byte) 0);
      if (!Arrays.equals(masked, again)) {
        throw new AssertionError(r + " encodes to other bytes than it was decoded from");
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  void intactRecord(byte[] data) throws MalformedRecordException {
    for (String attribute :
        List.of("user.intact.cks.sha256", "user.intact.cks.imageio@4194304", "user.intact.cks.x")) {
      IntactRecord r;
      try {
        r = IntactRecord.decode(attribute, data);
      } catch (MalformedRecordException e) {
        continue;
      }
      if (!Arrays.equals(r.encode(), data)) {
        throw new AssertionError(r + " encodes to other bytes than it was decoded from");
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  void manifest(byte[] data) throws Exception {
    List<String> lines = new String(data, StandardCharsets.UTF_8).lines().toList();
    Manifest m;
    try {
      m = Manifest.fromLines(Path.of("M"), lines);
    } catch (MalformedRecordException e) {
      return;
    }
    for (Path f : m.files()) {
      if (m.read(f).records().stream().anyMatch(r -> r.type() == null || r.value() == null)) {
        throw new AssertionError("incomplete record for " + f);
      }
    }
  }
}
