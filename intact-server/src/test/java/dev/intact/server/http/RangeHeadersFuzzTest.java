package dev.intact.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intact.core.image.ByteRange;

/**
 * Jazzer fuzz target for the {@code Range} and {@code Content-Range} headers of the data API. A
 * header either names a non-empty range inside the image or is refused with a 400 or 416 {@link
 * HttpError}; anything else escaping would reach the client as a 500. The committed corpus in
 * {@code src/test/resources/dev/intact/server/http/RangeHeadersFuzzTestInputs} is replayed by every
 * test run; {@code scripts/fuzz} fuzzes for real.
 */
class RangeHeadersFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void headers(FuzzedDataProvider data) {
    long size = data.consumeLong(0, Long.MAX_VALUE);
    boolean content = data.consumeBoolean();
    String header = data.consumeRemainingAsString();
    ByteRange r;
    try {
      r = content ? RangeHeaders.contentRange(header, size) : RangeHeaders.range(header, size);
    } catch (HttpError e) {
      if (e.status() != 400 && e.status() != 416) {
        throw new AssertionError("header '" + header + "' gave HTTP " + e.status(), e);
      }
      return;
    }
    if (r.length() <= 0 || r.end() > size) {
      throw new AssertionError("header '" + header + "' accepted as " + r + " for size " + size);
    }
  }
}
