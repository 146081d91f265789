package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.format.ImageCreator;
import dev.intact.core.format.ImageOpener;
import dev.intact.core.format.OpenedImage;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.ForwardingWritableImage;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.WritableImage;
import dev.intact.server.TestDaemon;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entry points for images other than raw files: a qcow2 source (opened through qemu-nbd)
 * uploads its guest's disk, and a download writes a qcow2 or any writable image, read back after
 * the flush.
 */
class ImageTransferTest {
  static final int SIZE = 3 << 20;
  @TempDir static Path dir;
  static TestDaemon daemon;
  static TransferClient client;
  static byte[] data;
  static Path raw;
  static int n;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start(dir);
    client = new TransferClient(ClientTls.caFile(daemon.server().certificate()));
    data = new byte[SIZE];
    new Random(7).nextBytes(data);
    Arrays.fill(data, 1 << 20, 2 << 20, (byte) 0);
    raw = Files.write(daemon.root().resolve("src.raw"), data);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    daemon.close();
  }

  static List<URI> ticket(Path file, boolean write) throws Exception {
    return List.of(daemon.imageUri(daemon.addTicket(file, SIZE, write)));
  }

  static byte[] guestBytes(Path image) throws IOException {
    byte[] b = new byte[SIZE];
    try (OpenedImage i = ImageOpener.open(image.toString())) {
      i.readFully(0, b, 0, SIZE);
    }
    return b;
  }

  @Test
  void aQcow2SourceUploadsItsGuestDiskWithTheRawsChecksum() throws Exception {
    Path qcow2 = dir.resolve("src.qcow2");
    try (WritableImage q = ImageCreator.create(qcow2, "qcow2", SIZE)) {
      q.write(0, data, 0, SIZE);
      q.flush();
    }
    Path fromRaw = daemon.image("from-raw.raw", SIZE);
    Path fromQcow2 = daemon.image("from-qcow2.raw", SIZE);
    TransferResult r;
    try (LocalImage source = LocalImage.openRead(raw)) {
      r = client.upload(source, ticket(fromRaw, true), TransferOptions.defaults());
    }
    TransferResult q;
    try (OpenedImage source = ImageOpener.open(qcow2.toString())) {
      assertThat(source.format()).isEqualTo("qcow2");
      q = client.upload(source, ticket(fromQcow2, true), TransferOptions.defaults());
    }
    assertThat(q.verified()).isTrue();
    assertThat(q.checksum()).isEqualTo(r.checksum());
    QemuImg.assertSame(raw, fromQcow2);
  }

  @Test
  void aQcow2DownloadIsWrittenReadBackAndKeptOnlyWhenVerified() throws Exception {
    List<URI> source = ticket(raw, false);
    Path out = dir.resolve("out" + n++ + ".qcow2");
    TransferResult r = client.download(source, out, "qcow2", TransferOptions.defaults());
    assertThat(r.verified()).isTrue();
    assertThat(guestBytes(out)).isEqualTo(data);

    Path plain = dir.resolve("plain" + n++ + ".raw");
    client.download(source, plain, "raw", TransferOptions.defaults());
    QemuImg.assertSame(raw, plain);

    // An existing file is refused and left as it was, by both formats.
    assertThatThrownBy(() -> client.download(source, out, "qcow2", TransferOptions.defaults()))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(guestBytes(out)).isEqualTo(data);
    assertThatThrownBy(() -> client.download(source, plain, "raw", TransferOptions.defaults()))
        .isInstanceOf(IOException.class);
    QemuImg.assertSame(raw, plain);

    // A transfer that fails after the qcow2 was created removes it.
    Path failed = dir.resolve("failed.qcow2");
    assertThatThrownBy(
            () ->
                client.download(
                    source,
                    failed,
                    "qcow2",
                    TransferOptions.defaults().withRange(new ByteRange(0, SIZE + 1))))
        .hasMessageContaining("the transfer needs " + (SIZE + 1));
    assertThat(failed).doesNotExist();
    assertThatThrownBy(
            () ->
                client.download(
                    source, failed, "qcow2", TransferOptions.defaults().withVerifyOnly(true)))
        .hasMessageContaining("--verify-only applies to upload and copy");
  }

  @Test
  void aDownloadIntoAWritableImageReadsItBackAndCatchesWhatWasMisWritten() throws Exception {
    List<URI> source = ticket(raw, false);
    try (LocalImage sink = LocalImage.create(dir.resolve("sink" + n++ + ".raw"), SIZE)) {
      TransferResult r = client.download(source, sink, TransferOptions.defaults());
      assertThat(r.verified()).isTrue();
    }
    try (LocalImage inner = LocalImage.create(dir.resolve("bad" + n++ + ".raw"), SIZE)) {
      WritableImage corrupting = new CorruptingReads(inner);
      assertThatThrownBy(() -> client.download(source, corrupting, TransferOptions.defaults()))
          .isInstanceOf(ChecksumMismatchException.class)
          .hasMessageContaining("the bytes received has")
          .hasMessageContaining("the destination read back has");
    }
    try (LocalImage small = LocalImage.create(dir.resolve("small" + n++ + ".raw"), SIZE - 1)) {
      assertThatThrownBy(() -> client.download(source, small, TransferOptions.defaults()))
          .hasMessageContaining("holds " + (SIZE - 1) + " bytes; the transfer needs " + SIZE);
    }
    try (LocalImage any = LocalImage.create(dir.resolve("any" + n++ + ".raw"), SIZE)) {
      assertThatThrownBy(
              () -> client.download(source, any, TransferOptions.defaults().withVerifyOnly(true)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aDownloadIsReadBackFromTheFileWrittenEvenWhenItsNameNowLeadsElsewhere() throws Exception {
    List<URI> source = ticket(raw, false);
    Path name = dir.resolve("swapped" + n++ + ".raw");
    Path elsewhere = Files.write(dir.resolve("elsewhere" + n++ + ".raw"), new byte[SIZE]);
    try (LocalImage inner = LocalImage.create(name, SIZE)) {
      WritableImage swapping =
          new ForwardingWritableImage(inner) {
            @Override
            public void flush() throws IOException {
              super.flush();
              // After the last write: the name now leads to a file of zeros.
              if (Files.isRegularFile(name, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.move(name, dir.resolve("moved" + n++ + ".raw"));
                Files.createSymbolicLink(name, elsewhere);
              }
            }

            @Override
            public void close() {}
          };
      TransferResult r = client.download(source, swapping, TransferOptions.defaults());
      assertThat(r.verified()).isTrue();
    }
    assertThat(Files.readAllBytes(elsewhere)).isEqualTo(new byte[SIZE]);
  }

  @Test
  void aSourceWrittenToWhileItIsUploadedFailsNamingTheFileAndIsNeverVerified() throws Exception {
    Path file = Files.write(dir.resolve("changing" + n++ + ".raw"), data);
    // An old modification time: the write below moves it, however coarse the clock.
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1000));
    Path dst = daemon.image("changed" + n++ + ".raw", SIZE);
    java.util.concurrent.atomic.AtomicBoolean written =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (LocalImage local = LocalImage.openRead(file)) {
      dev.intact.core.image.Image source =
          new dev.intact.core.image.ForwardingImage(local) {
            @Override
            public void readFully(long position, byte[] dst, int offset, int length)
                throws IOException {
              super.readFully(position, dst, offset, length);
              if (written.compareAndSet(false, true)) {
                // Another program writes the same number of bytes in place, behind the reader.
                try (java.io.RandomAccessFile f =
                    new java.io.RandomAccessFile(file.toFile(), "rw")) {
                  f.seek(SIZE - 1);
                  f.write(data[SIZE - 1] ^ 0x55);
                }
              }
            }
          };
      assertThatThrownBy(() -> client.upload(source, ticket(dst, true), TransferOptions.defaults()))
          .isInstanceOf(dev.intact.core.image.SourceChangedException.class)
          .hasMessage(file + ": file changed as it was read (modified); nothing was verified");
    }
    assertThat(written).isTrue();
  }

  /** Writes land; reading the storage back returns one flipped bit, as a bad disk would. */
  static final class CorruptingReads extends ForwardingWritableImage {
    CorruptingReads(LocalImage inner) {
      super(inner);
    }

    @Override
    public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
      super.readDirect(position, dst, offset, length);
      if (position == 0 && length > 0) {
        dst[offset] ^= 1;
      }
    }

    /** The test closes the image it made. */
    @Override
    public void close() {}
  }
}
