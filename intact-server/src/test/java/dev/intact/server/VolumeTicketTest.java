package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.volume.Volume;
import dev.intact.core.volume.VolumeCheck;
import dev.intact.core.volume.VolumeInUseException;
import dev.intact.core.volume.VolumeOptions;
import dev.intact.server.ticket.TicketId;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ticket with {@code "storage": "volume"} stores through the volume: an upload lands tagged
 * (offline check finds every tag valid), the volume is locked while the ticket holds it, and a
 * block rotten on disk fails the download that covers it while the rest still reads. Only the
 * ticket decides: a raw ticket serves a volume file's bytes as they are, and a volume ticket on a
 * file that is no volume is refused.
 */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class VolumeTicketTest {
  private static final int SIZE = 64 << 10;
  @TempDir Path dir;

  @Test
  void anUploadLandsTaggedAndARottenBlockFailsItsDownloadOnly() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path vol = d.root().resolve("disk.vol");
      Volume.create(vol, VolumeOptions.of(SIZE)).close();
      String body = "v".repeat(SIZE);
      String id = addVolumeTicket(d, vol, SIZE, true);
      assertThat(d.data("PUT", "images/" + id + "?flush=y", body).statusCode()).isEqualTo(200);
      HttpResponse<String> get = d.data("GET", "images/" + id, null);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(body);
      assertThatThrownBy(() -> Volume.open(vol, false, null))
          .isInstanceOf(VolumeInUseException.class);
      assertThat(d.control("DELETE", id, null).statusCode()).isLessThan(300);

      long dataAt;
      try (Volume v = Volume.open(vol, false, null)) {
        assertThat(VolumeCheck.check(v).clean()).isTrue();
        byte[] got = new byte[SIZE];
        v.readFully(0, got, 0, SIZE);
        assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(body);
        dataAt = v.geometry().dataOffset(1);
      }
      try (FileChannel ch = FileChannel.open(vol, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {'X'}), dataAt + 100);
      }
      String again = addVolumeTicket(d, vol, SIZE, false);
      assertThat(d.data("GET", "images/" + again, null).statusCode()).isNotEqualTo(200);
      HttpResponse<String> first =
          d.http()
              .send(
                  HttpRequest.newBuilder(d.imageUri(again)).header("Range", "bytes=0-4095").build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).isEqualTo(206);
      assertThat(first.body()).isEqualTo("v".repeat(4096));
    }
  }

  @Test
  void aRawTicketOnAVolumeFileServesItsStoredBytesUnverified() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path vol = d.root().resolve("copy.vol");
      Volume.create(vol, VolumeOptions.of(SIZE)).close();
      long fileSize = Files.size(vol);
      String id = TicketId.random();
      HttpResponse<String> added = putTicket(d, id, vol, fileSize, false, "raw");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      HttpResponse<byte[]> get =
          d.http()
              .send(
                  HttpRequest.newBuilder(d.imageUri(id)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(Files.readAllBytes(vol));
      // Served raw, so not locked as a volume: an offline open still works.
      Volume.open(vol, false, null).close();
    }
  }

  @Test
  void aTicketThatNamesNoStorageOnAVolumeFileIsRefusedSoNoUploadCanOverwriteIt() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path vol = d.root().resolve("kept.vol");
      Volume.create(vol, VolumeOptions.of(SIZE)).close();
      byte[] before = Files.readAllBytes(vol);
      String id = TicketId.random();
      HttpResponse<String> r = d.control("PUT", id, ticketJson(id, vol, SIZE, true, null));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("is an Intact volume").contains("\"storage\": \"volume\"");
      assertThat(Files.readAllBytes(vol)).isEqualTo(before);
      // A plain image still needs no storage field.
      Path raw = d.image("plain.raw", SIZE);
      assertThat(d.addTicket(raw, SIZE, true)).isNotEmpty();
    }
  }

  @Test
  void aVolumeTicketOnAFileThatIsNoVolumeIsRefusedWith400() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path raw = d.image("plain.raw", SIZE);
      HttpResponse<String> r = putTicket(d, raw, SIZE, false, "volume");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("not an Intact volume");
    }
  }

  @Test
  void aTicketWithAnUnknownStorageIsRefusedWith400NamingTheField() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path raw = d.image("plain.raw", SIZE);
      HttpResponse<String> r = putTicket(d, raw, SIZE, false, "qcow2");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("ticket field 'storage' is 'qcow2', not one of raw, volume");
    }
  }

  private static String addVolumeTicket(TestDaemon d, Path vol, long size, boolean write)
      throws Exception {
    String id = TicketId.random();
    HttpResponse<String> r = putTicket(d, id, vol, size, write, "volume");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return id;
  }

  private static HttpResponse<String> putTicket(
      TestDaemon d, Path file, long size, boolean write, String storage) throws Exception {
    return putTicket(d, TicketId.random(), file, size, write, storage);
  }

  private static HttpResponse<String> putTicket(
      TestDaemon d, String id, Path file, long size, boolean write, String storage)
      throws Exception {
    return d.control("PUT", id, ticketJson(id, file, size, write, storage));
  }

  /** A ticket's JSON; {@code storage} null leaves the field out. */
  private static String ticketJson(String id, Path file, long size, boolean write, String storage) {
    return "{\"uuid\":\""
        + id
        + "\",\"url\":\""
        + file.toUri()
        + "\",\"size\":"
        + size
        + ",\"ops\":"
        + (write ? "[\"read\",\"write\"]" : "[\"read\"]")
        + (storage == null ? "" : ",\"storage\":\"" + storage + "\"")
        + "}";
  }
}
