package dev.intact.core.volume;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for {@link JournalCodec}: after a crash the journal holds torn, stale and foreign
 * sectors, all of which must decode to "no record" (null), never an exception; a record that
 * decodes must encode to the same header.
 */
class JournalCodecFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] bytes) {
    for (int tagLength : new int[] {4, 32}) {
      JournalRecord r = JournalCodec.decode(bytes, tagLength, JournalCodec.Bounds.of(4096), 1000);
      if (r == null) {
        continue;
      }
      byte[] again = JournalCodec.encode(r, tagLength);
      if (!Arrays.equals(again, 0, again.length, bytes, 0, again.length)) {
        throw new AssertionError("a decoded journal record encodes to other bytes");
      }
    }
  }
}
