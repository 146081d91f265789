package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import dev.intact.server.TestDaemon;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against a daemon serving only ovirt-imageio's API (no checksum jobs, no block digests:
 * Intact's daemon in {@code DataApi.IMAGEIO}, answering OPTIONS as imageio 2.5.3 did): verification
 * goes through {@code GET /checksum}, compared with the imageio list recorded inline, and {@code
 * --repair} reads the image back with ranged GETs. Faults at the daemon prove the comparison
 * happens: each one is caught, and repaired.
 */
class ImageioDaemonTest {
  static final long MIB = 1 << 20;
  static final ChecksumType IMAGEIO = ChecksumType.parse("imageio", OptionalLong.empty());

  /** Data across two 4 MiB imageio blocks, a hole, and a short tail: 9 MiB + 4 KiB. */
  static final Layout LAYOUT =
      Layout.of(
          "imageio", 9 * MIB + 4096, 0, 3 * MIB, 5 * MIB, 5 * MIB + 700_000, 8 * MIB, 9 * MIB);

  @TempDir static Path dir;
  static Faults faults = new Faults();
  static TestDaemon daemon;
  static TransferClient client;
  static int n;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.startImageio(dir.resolve("d"), faults);
    client = new TransferClient(TestDaemon.trusting(daemon.server().certificate()));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    daemon.close();
  }

  static Path source() throws Exception {
    return LAYOUT.build(dir.resolve("src" + n++ + ".raw"), 7);
  }

  static Checksum imageioOf(Path file) throws Exception {
    try (LocalImage img = LocalImage.openRead(file)) {
      return ChecksumEngine.withDefaultThreads()
          .compute(img, IMAGEIO, ByteRange.whole(img.size()), ProgressListener.NONE);
    }
  }

  URI destination(Path file) throws Exception {
    return daemon.imageUri(daemon.addTicket(file, LAYOUT.size(), true));
  }

  Path garbage() throws Exception {
    return TransferRoundTripTest.garbage(daemon, LAYOUT.size());
  }

  @Test
  void optionsNamesNoChecksumJobsNorBlockDigests() throws Exception {
    Path dst = garbage();
    var http = TransferHttp.start(TestDaemon.trusting(daemon.server().certificate()));
    try {
      ImageClient c = ImageClient.connect(http, List.of(destination(dst)));
      assertThat(c.capabilities().checksumJobs()).isFalse();
      assertThat(c.capabilities().blockDigests()).isFalse();
      assertThat(c.capabilities().wholeImageChecksum()).isTrue();
    } finally {
      TransferHttp.stop(http);
    }
  }

  @Test
  void uploadIsVerifiedThroughImageiosChecksumOfTheStoredImage() throws Exception {
    Path src = source();
    Path dst = garbage();
    TransferResult r = client.upload(src, List.of(destination(dst)), TransferOptions.defaults());
    assertThat(r.verified()).isTrue();
    assertThat(r.checksum().type()).isEqualTo(ChecksumType.DEFAULT);
    assertThat(r.comparedInstead()).contains(imageioOf(src));
    QemuImg.assertSame(src, dst);
  }

  @Test
  void wholeStreamUploadIsComparedAsImageio() throws Exception {
    Path src = source();
    Path dst = garbage();
    TransferResult r =
        client.upload(
            src,
            List.of(destination(dst)),
            TransferOptions.defaults()
                .withChecksumType(ChecksumType.parse("sha256", OptionalLong.empty())));
    assertThat(r.checksum().type().name()).isEqualTo("sha256");
    assertThat(r.comparedInstead()).contains(imageioOf(src));
    QemuImg.assertSame(src, dst);
  }

  @Test
  void imageioListAskedForIsTheOneCompared() throws Exception {
    Path src = source();
    Path dst = garbage();
    ChecksumType sha1 = ChecksumType.parse("imageio:sha1", OptionalLong.of(MIB));
    TransferResult r =
        client.upload(
            src, List.of(destination(dst)), TransferOptions.defaults().withChecksumType(sha1));
    assertThat(r.checksum().type()).isEqualTo(sha1);
    assertThat(r.compared()).contains(r.checksum());
    assertThat(r.comparedInstead()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Faults.Kind.class,
      names = {"FLIP_WRITE", "DROP_WRITE", "DROP_ZERO"})
  void damageAtTheDestinationFailsVerificationWithoutRepair(Faults.Kind kind) throws Exception {
    Path src = source();
    Path dst = garbage();
    faults.arm(new Faults.Plan(kind, position(kind), 3));
    assertThatThrownBy(
            () -> client.upload(src, List.of(destination(dst)), TransferOptions.defaults()))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("imageio");
  }

  @ParameterizedTest
  @EnumSource(
      value = Faults.Kind.class,
      names = {"FLIP_WRITE", "DROP_WRITE", "DROP_ZERO"})
  void repairReadsBackAndResendsOnlyTheDamagedBlock(Faults.Kind kind) throws Exception {
    Path src = source();
    Path dst = garbage();
    faults.arm(new Faults.Plan(kind, position(kind), 5));
    TransferResult r =
        client.upload(
            src, List.of(destination(dst)), TransferOptions.defaults().withRepair(true, 2));
    assertThat(r.verified()).isTrue();
    assertThat(r.repairRounds()).isEqualTo(1);
    // A flipped bit damages one 64 KiB block; a dropped request what it covered (one chunk at
    // most).
    assertThat(r.repairedBlocks()).isBetween(1L, (long) (Sender.CHUNK / (64 << 10)));
    QemuImg.assertSame(src, dst);
  }

  /** Where a fault of {@code kind} lands: in data for writes, in the hole for a zero request. */
  static long position(Faults.Kind kind) {
    return kind == Faults.Kind.DROP_ZERO ? 4 * MIB + 12_345 : 2 * MIB + 777;
  }

  @Test
  void downloadFromImageioRepairsABitFlippedInTransit() throws Exception {
    Path src = source();
    Path stored = daemon.root().resolve("stored" + n++ + ".raw");
    Files.copy(src, stored);
    URI url = daemon.imageUri(daemon.addTicket(stored, LAYOUT.size(), false));

    faults.arm(new Faults.Plan(Faults.Kind.FLIP_READ, 8 * MIB + 99, 1));
    Path failed = dir.resolve("failed" + n++ + ".raw");
    assertThatThrownBy(() -> client.download(List.of(url), failed, TransferOptions.defaults()))
        .isInstanceOf(ChecksumMismatchException.class);
    assertThat(failed).doesNotExist();

    faults.arm(new Faults.Plan(Faults.Kind.FLIP_READ, 8 * MIB + 99, 1));
    Path out = dir.resolve("out" + n++ + ".raw");
    TransferResult r =
        client.download(List.of(url), out, TransferOptions.defaults().withRepair(true, 2));
    assertThat(r.verified()).isTrue();
    assertThat(r.repairRounds()).isEqualTo(1);
    assertThat(r.comparedInstead()).contains(imageioOf(src));
    QemuImg.assertSame(src, out);
  }

  @Test
  void aRangeImageiosChecksumCannotCoverIsRefusedBeforeAnythingIsSent() throws Exception {
    Path src = source();
    Path dst = garbage();
    byte[] before = Files.readAllBytes(dst);
    assertThatThrownBy(
            () ->
                client.upload(
                    src,
                    List.of(destination(dst)),
                    TransferOptions.defaults().withRange(new ByteRange(0, MIB))))
        .isInstanceOf(ChecksumUnavailableException.class)
        .hasMessageContaining("only imageio's /checksum of the whole image");
    assertThat(Files.readAllBytes(dst)).isEqualTo(before);
  }

  @Test
  void unverifiedTransferNeedsNoChecksum() throws Exception {
    Path src = source();
    Path dst = garbage();
    TransferResult r =
        client.upload(
            src,
            List.of(destination(dst)),
            TransferOptions.defaults().withVerify(false).withRange(new ByteRange(0, MIB)));
    assertThat(r.verified()).isFalse();
    assertThat(r.compared()).isEmpty();
  }

  @Test
  void imageioBlockSizesThatShareNoChunkWithTheDefaultAreRefused() {
    assertThat(IMAGEIO).isInstanceOf(BlockHashList.class);
    assertThatThrownBy(
            () ->
                new Sender(
                    null,
                    new dev.intact.core.checksum.BlockGrid(ByteRange.whole(MIB), 11 * 4096),
                    java.util.Optional.empty(),
                    java.util.Optional.of(
                        new dev.intact.core.checksum.BlockDigestList(
                            (BlockHashList)
                                ChecksumType.parse("imageio", OptionalLong.of(16 * MIB - 4096)),
                            ByteRange.whole(MIB))),
                    1,
                    TransferProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share no chunk");
  }
}
