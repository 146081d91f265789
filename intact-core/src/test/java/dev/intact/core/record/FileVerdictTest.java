package dev.intact.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import dev.intact.core.record.FileVerdict.Status;
import dev.intact.core.record.TypeResult.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FileVerdictTest {
  private static final ChecksumType ADLER32 = ChecksumType.parse("adler32", OptionalLong.empty());
  private static final ChecksumType CRC32C = ChecksumType.parse("crc32c", OptionalLong.empty());

  @Test
  void detailsNameEveryFailureAndMissingRecordAndNothingForOk() {
    FileVerdict v =
        new FileVerdict(
            Path.of("f"),
            Status.FAILED,
            List.of(
                new TypeResult(
                    ADLER32, Outcome.FAILED, HashCode.ofLong(1, 4), HashCode.ofLong(2, 4), ""),
                new TypeResult(CRC32C, Outcome.MISSING, null, null, ""),
                new TypeResult(
                    ADLER32, Outcome.OK, HashCode.ofLong(3, 4), HashCode.ofLong(3, 4), "")),
            List.of());

    assertThat(v.details())
        .isEqualTo(" adler32 expected 00000001 actual 00000002, crc32c has no record");
  }

  @Test
  void detailsShowNewRecordsOnlyWhenTheFileWasRecorded() {
    TypeResult recorded =
        new TypeResult(ADLER32, Outcome.RECORDED, null, HashCode.ofLong(5, 4), "");

    assertThat(
            new FileVerdict(Path.of("f"), Status.RECORDED, List.of(recorded), List.of()).details())
        .isEqualTo(" adler32=00000005");
    assertThat(new FileVerdict(Path.of("f"), Status.OK, List.of(recorded), List.of()).details())
        .isEmpty();
  }
}
