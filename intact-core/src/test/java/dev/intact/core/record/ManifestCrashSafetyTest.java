package dev.intact.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.FileVerdict.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest keeps what a run finished even when the run never reaches its save. */
class ManifestCrashSafetyTest {
  private static final ChecksumType ADLER32 = ChecksumType.parse("adler32", OptionalLong.empty());
  private static final ChecksumType SHA256 = ChecksumType.parse("sha256", OptionalLong.empty());

  @TempDir Path dir;

  private Path file(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  private static Status verify(Manifest m, Path f) {
    return new RecordVerifier(m, m, Set.of()).verify(f, n -> {}).status();
  }

  private static long stamps(Path manifest) throws IOException {
    return Files.readAllLines(manifest).stream().filter(l -> l.startsWith("#@ ")).count();
  }

  @Test
  void eachRecordedFileIsOnDiskBeforeTheRunSaves() throws IOException {
    Path m = dir.resolve("SUMS");
    Path a = file("a", 5000);
    Path b = file("b", 70_000);
    Manifest run = Manifest.open(m);
    Recorder recorder = new Recorder(run, run, false);

    recorder.record(a, List.of(ADLER32, SHA256), n -> {});
    Manifest afterA = Manifest.open(m); // what a run killed here leaves
    recorder.record(b, List.of(ADLER32), n -> {});
    Manifest afterB = Manifest.open(m);

    assertThat(afterA.files()).containsExactly(a);
    assertThat(verify(afterA, a)).isEqualTo(Status.OK);
    assertThat(afterB.files()).containsExactly(a, b);
    assertThat(verify(afterB, b)).isEqualTo(Status.OK);
    assertThat(Files.readString(m)).startsWith(Manifest.HEADER + "\n");
  }

  @Test
  void tornTailIsDroppedAndTheNextSaveLeavesOnlyWholeLines() throws IOException {
    Path m = dir.resolve("SUMS");
    Path a = file("a", 5000);
    Path b = file("b", 6000);
    Manifest first = Manifest.open(m);
    new Recorder(first, first, false).record(a, List.of(ADLER32), n -> {});
    new Recorder(first, first, false).record(b, List.of(ADLER32, SHA256), n -> {});
    String whole = Files.readString(m);
    // kill -9 inside a write leaves a line without its end; a power cut may leave zeros.
    int cut = whole.indexOf("SHA256 (") + 20;
    Files.writeString(m, whole.substring(0, cut));
    Files.write(m, new byte[4096], StandardOpenOption.APPEND);

    Manifest reopened = Manifest.open(m);

    assertThat(reopened.files()).containsExactly(a, b);
    assertThat(verify(reopened, a)).isEqualTo(Status.OK);
    assertThat(reopened.read(b).records()).extracting(StoredRecord::type).containsExactly(ADLER32);
    assertThat(verify(reopened, b)).isEqualTo(Status.OK);
    new Recorder(reopened, reopened, false).record(b, List.of(SHA256), n -> {});
    reopened.save();
    String saved = Files.readString(m, StandardCharsets.UTF_8);
    assertThat(saved).endsWith("\n").doesNotContain("\0");
    assertThat(stamps(m)).isEqualTo(2);
    assertThat(Manifest.open(m).read(b).records())
        .extracting(StoredRecord::type)
        .containsExactly(ADLER32, SHA256);
  }

  @Test
  void fileRecordedAgainIsReadFromItsLastStampAndCompactedBySave() throws IOException {
    Path m = dir.resolve("SUMS");
    Path a = file("a", 5000);
    Manifest first = Manifest.open(m);
    new Recorder(first, first, false).record(a, List.of(ADLER32), n -> {});
    first.save();
    Files.write(a, new byte[] {1, 2, 3});
    Manifest second = Manifest.open(m);
    new Recorder(second, second, true).record(a, List.of(ADLER32), n -> {});
    assertThat(stamps(m)).isEqualTo(2); // appended, not yet compacted: a killed run

    Manifest third = Manifest.open(m);
    assertThat(verify(third, a)).isEqualTo(Status.OK);
    third.save();

    assertThat(stamps(m)).isEqualTo(1);
    assertThat(verify(Manifest.open(m), a)).isEqualTo(Status.OK);
  }
}
