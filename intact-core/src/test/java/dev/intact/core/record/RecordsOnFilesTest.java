package dev.intact.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.posix.Xattrs;
import dev.intact.core.record.FileVerdict.Status;
import dev.intact.core.record.TypeResult.Outcome;
import dev.intact.core.testing.NoXattrFileSystem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsOnFilesTest {
  private static final ChecksumType ADLER32 = type("adler32");
  private static final ChecksumType SHA256 = type("sha256");
  private static final ChecksumType BLKHASH = type("blkhash");

  @TempDir Path dir;

  private final XattrRecords xattrs = new XattrRecords();

  private static ChecksumType type(String name) {
    return ChecksumType.parse(name, OptionalLong.empty());
  }

  private Path file(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  private FileVerdict record(Path f, boolean update, ChecksumType... types) {
    return new Recorder(xattrs, xattrs, update).record(f, List.of(types), n -> {});
  }

  private FileVerdict verify(Path f, ChecksumType... required) {
    return new RecordVerifier(xattrs, xattrs, Set.of(required)).verify(f, n -> {});
  }

  @Test
  void recordedFileVerifiesOk() throws IOException {
    Path f = file("f", 3 << 20);

    assertThat(record(f, false, ADLER32, SHA256, BLKHASH).status()).isEqualTo(Status.RECORDED);
    FileVerdict v = verify(f);

    assertThat(v.status()).isEqualTo(Status.OK);
    assertThat(v.results())
        .extracting(TypeResult::type)
        .containsExactlyInAnyOrder(ADLER32, SHA256, BLKHASH);
    assertThat(Xattrs.list(new Xattrs.OnPath(f)))
        .contains("user.XrdCks.adler32", "user.intact.cks.sha256", "user.intact.cks.blkhash@65536");
  }

  @Test
  void dataChangedUnderAnUnchangedMtimeFailsAndIsRecordedOnTheFile() throws IOException {
    Path f = file("f", 100_000);
    record(f, false, ADLER32, SHA256);
    FileTime mtime = Files.getLastModifiedTime(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(5000);
      raf.write(raf.read() ^ 1);
    }
    Files.setLastModifiedTime(f, mtime);

    FileVerdict v = verify(f);

    assertThat(v.status()).isEqualTo(Status.FAILED);
    TypeResult adler =
        v.results().stream().filter(r -> r.type().equals(ADLER32)).findFirst().orElseThrow();
    assertThat(adler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(adler.mismatch(f.toString()).orElseThrow().getMessage())
        .startsWith("checksum mismatch in " + f + ": adler32 expected " + adler.expected().toHex());
    String error =
        new String(
            Xattrs.get(new Xattrs.OnPath(f), XattrRecords.ERROR_ATTRIBUTE).orElseThrow(),
            StandardCharsets.UTF_8);
    assertThat(error)
        .contains(
            "adler32 expected=" + adler.expected().toHex() + " actual=" + adler.actual().toHex());
  }

  @Test
  void touchedFileIsStaleNotFailedAndRecordRefusesToRefreshWithoutUpdate() throws IOException {
    Path f = file("f", 1000);
    record(f, false, ADLER32, SHA256);
    Files.setLastModifiedTime(
        f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));

    assertThat(verify(f).status()).isEqualTo(Status.STALE);
    assertThat(record(f, false, ADLER32).status()).isEqualTo(Status.STALE);
    assertThat(record(f, true, ADLER32, SHA256).status()).isEqualTo(Status.RECORDED);
    assertThat(verify(f).status()).isEqualTo(Status.OK);
  }

  @Test
  void sameSecondOtherNanosecondIsStaleForIntactsRecordOnly() throws IOException {
    Path f = file("f", 1000);
    Files.setLastModifiedTime(
        f, FileTime.from(java.time.Instant.ofEpochSecond(1_700_000_000L, 500)));
    record(f, false, ADLER32, SHA256);
    Files.setLastModifiedTime(
        f, FileTime.from(java.time.Instant.ofEpochSecond(1_700_000_000L, 900)));

    FileVerdict v = verify(f);

    assertThat(v.results())
        .extracting(TypeResult::type, TypeResult::outcome)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ADLER32, Outcome.OK),
            org.assertj.core.groups.Tuple.tuple(SHA256, Outcome.STALE));
    assertThat(v.status()).isEqualTo(Status.STALE);
  }

  @Test
  void requiredTypeWithoutRecordFails() throws IOException {
    Path f = file("f", 10);
    record(f, false, SHA256);

    FileVerdict v = verify(f, ADLER32);

    assertThat(v.status()).isEqualTo(Status.FAILED);
    assertThat(v.results())
        .anyMatch(r -> r.type().equals(ADLER32) && r.outcome() == Outcome.MISSING);
  }

  @Test
  void fileWithoutRecordsHasNoRecord() throws IOException {
    assertThat(verify(file("f", 10)).status()).isEqualTo(Status.NO_RECORD);
  }

  @Test
  void recordingAgainCheckesTheFreshRecordInsteadOfOverwritingIt() throws IOException {
    Path f = file("f", 1000);
    record(f, false, ADLER32);
    byte[] raw = Xattrs.get(new Xattrs.OnPath(f), "user.XrdCks.adler32").orElseThrow();
    raw[35] ^= 1; // the value's last byte
    Xattrs.set(new Xattrs.OnPath(f), "user.XrdCks.adler32", raw);

    assertThat(record(f, false, ADLER32).status()).isEqualTo(Status.FAILED);
    assertThat(Xattrs.get(new Xattrs.OnPath(f), "user.XrdCks.adler32").orElseThrow())
        .isEqualTo(raw);
  }

  @Test
  void malformedRecordIsReportedAndReplacedOnlyWithUpdate() throws IOException {
    Path f = file("f", 1000);
    Xattrs.set(new Xattrs.OnPath(f), "user.XrdCks.adler32", new byte[95]);

    FileVerdict v = verify(f);
    assertThat(v.status()).isEqualTo(Status.MALFORMED);
    assertThat(v.notes())
        .anySatisfy(n -> assertThat(n).contains("truncated XRootD record: 95 bytes"));
    assertThat(record(f, false, ADLER32).status()).isEqualTo(Status.MALFORMED);
    assertThat(record(f, true, ADLER32).status()).isEqualTo(Status.RECORDED);
    assertThat(verify(f).status()).isEqualTo(Status.OK);
  }

  @Test
  void fileThatGrowsWhileBeingReadGetsNoRecord() throws IOException {
    Path f = file("f", 4 << 20);
    AtomicBoolean appended = new AtomicBoolean();

    FileVerdict v =
        new Recorder(xattrs, xattrs, false)
            .record(
                f,
                List.of(ADLER32),
                n -> {
                  if (appended.compareAndSet(false, true)) {
                    try {
                      Files.write(f, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  }
                });

    assertThat(v.status()).isEqualTo(Status.ERROR);
    assertThat(v.notes()).singleElement().asString().contains(f + ": changed while being read");
    assertThat(Xattrs.list(new Xattrs.OnPath(f))).isEmpty();
  }

  @Test
  void symbolicLinkAndFifoAreErrorsNotFollowedNorRead() throws Exception {
    Path target = file("target", 10);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    Path fifo = dir.resolve("fifo");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();

    assertThat(record(link, false, ADLER32).notes())
        .singleElement()
        .asString()
        .contains("is a symbolic link");
    assertThat(verify(fifo).notes()).singleElement().asString().contains("is a fifo");
  }

  @Test
  void recordOnAFileSystemWithoutUserAttributesPointsToTheManifest() throws IOException {
    Path mount = Files.createDirectory(dir.resolve("ramfs"));
    try (NoXattrFileSystem fs = NoXattrFileSystem.mount(mount)) {
      Path f = Files.writeString(fs.root().resolve("f"), "x");

      FileVerdict r = record(f, false, ADLER32);
      FileVerdict v = verify(f);

      assertThat(r.status()).isEqualTo(Status.ERROR);
      assertThat(r.notes()).singleElement().asString().contains("--manifest FILE");
      assertThat(v.status()).isEqualTo(Status.ERROR);
      assertThat(v.notes()).singleElement().asString().contains("--manifest FILE");
    }
  }

  @Test
  void manifestKeepsRecordsWithSizeAndMtimeAcrossASave() throws IOException {
    Path m = dir.resolve("SUMS");
    Path odd = file("odd\nname\\x", 5000);
    Path plain = file("plain", 7);
    Manifest manifest = Manifest.open(m);
    new Recorder(manifest, manifest, false).record(odd, List.of(ADLER32, BLKHASH), n -> {});
    new Recorder(manifest, manifest, false).record(plain, List.of(SHA256), n -> {});
    manifest.save();

    Manifest again = Manifest.open(m);
    assertThat(again.files()).containsExactly(odd, plain);
    assertThat(new RecordVerifier(again, again, Set.of()).verify(odd, n -> {}).status())
        .isEqualTo(Status.OK);
    assertThat(Files.readString(m))
        .contains("\\ADLER32 (" + dir + "/odd\\nname\\\\x) = ")
        .contains("SHA256 (" + plain + ") = ");
    Files.setLastModifiedTime(plain, FileTime.fromMillis(1000));
    assertThat(new RecordVerifier(again, again, Set.of()).verify(plain, n -> {}).status())
        .isEqualTo(Status.STALE);
  }
}
