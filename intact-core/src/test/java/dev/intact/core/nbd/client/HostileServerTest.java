package dev.intact.core.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.nbd.wire.BlockDescriptor;
import dev.intact.core.nbd.wire.BlockStatusChunk;
import dev.intact.core.nbd.wire.InfoReply;
import dev.intact.core.nbd.wire.MetaContext;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.NbdProtocolException;
import dev.intact.core.nbd.wire.OptionHeader;
import dev.intact.core.nbd.wire.ReplyHeader;
import dev.intact.core.nbd.wire.Request;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A scripted server sends malformed, truncated and oversized messages, or nothing; Intact's client
 * fails with a clear exception within its timeout instead of hanging or crashing.
 */
class HostileServerTest {
  static final Duration TIMEOUT = Duration.ofMillis(500);

  ServerSocket listener;
  Thread script;

  interface Script {
    void run(DataInputStream in, DataOutputStream out) throws IOException;
  }

  NbdUri serve(Script s) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    script =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Socket c = listener.accept()) {
                    c.setSoTimeout(10_000);
                    s.run(
                        new DataInputStream(c.getInputStream()),
                        new DataOutputStream(c.getOutputStream()));
                    // keep the connection open until the client gives up
                    c.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                  } catch (IOException e) {
                    // the client hung up on us: that is the point
                  }
                });
    return NbdUri.tcp("127.0.0.1", listener.getLocalPort(), "disk");
  }

  @AfterEach
  void stop() throws Exception {
    listener.close();
    script.join(Duration.ofSeconds(10));
  }

  NbdClient.Options options() {
    return NbdClient.Options.defaults().withTimeout(TIMEOUT);
  }

  /** A correct handshake up to transmission, for an export of {@code size} bytes. */
  static void handshake(DataInputStream in, DataOutputStream out, long size) throws IOException {
    out.write(NbdCodec.encodeGreeting(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES).array());
    in.readInt();
    while (true) {
      OptionHeader h = NbdCodec.decodeOptionHeader(ByteBuffer.wrap(in.readNBytes(16)));
      ByteBuffer payload = ByteBuffer.wrap(in.readNBytes((int) h.length()));
      switch (h.option()) {
        case Nbd.OPT_STRUCTURED_REPLY ->
            reply(out, h.option(), Nbd.REP_ACK, ByteBuffer.allocate(0));
        case Nbd.OPT_SET_META_CONTEXT -> {
          reply(
              out,
              h.option(),
              Nbd.REP_META_CONTEXT,
              NbdCodec.encodeMetaContext(new MetaContext(5, Nbd.BASE_ALLOCATION)));
          reply(out, h.option(), Nbd.REP_ACK, ByteBuffer.allocate(0));
        }
        case Nbd.OPT_GO -> {
          NbdCodec.decodeExportRequest(payload);
          reply(
              out,
              h.option(),
              Nbd.REP_INFO,
              NbdCodec.encodeInfo(new InfoReply.ExportInfo(size, Nbd.FLAG_HAS_FLAGS)));
          reply(out, h.option(), Nbd.REP_ACK, ByteBuffer.allocate(0));
          return;
        }
        default -> reply(out, h.option(), Nbd.REP_ERR_UNSUP, ByteBuffer.allocate(0));
      }
    }
  }

  static void reply(DataOutputStream out, int option, int type, ByteBuffer payload)
      throws IOException {
    out.write(NbdCodec.encodeOptionReply(option, type, payload).array());
  }

  static Request request(DataInputStream in) throws IOException {
    return NbdCodec.decodeRequest(ByteBuffer.wrap(in.readNBytes(Request.SIZE)));
  }

  static void chunk(DataOutputStream out, int flags, int type, long cookie, ByteBuffer payload)
      throws IOException {
    ByteBuffer h = ByteBuffer.allocate(ReplyHeader.Chunk.SIZE);
    NbdCodec.encodeChunkHeader(new ReplyHeader.Chunk(flags, type, cookie, payload.remaining()), h);
    out.write(h.array());
    out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
  }

  @Test
  void somethingThatIsNotAnNbdServer() throws IOException {
    NbdUri uri =
        serve(
            (in, out) ->
                out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(() -> NbdClient.connect(uri, options()))
        .isInstanceOf(NbdProtocolException.class)
        .hasMessageContaining("not an NBD server");
  }

  @Test
  void anOldstyleServer() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              out.writeLong(Nbd.NBDMAGIC);
              out.writeLong(0x00420281861253L);
              out.write(new byte[136]);
            });
    assertThatThrownBy(() -> NbdClient.connect(uri, options()))
        .isInstanceOf(NbdProtocolException.class)
        .hasMessageContaining("oldstyle");
  }

  @Test
  void aServerThatGoesQuietInTheHandshake() throws IOException {
    NbdUri uri = serve((in, out) -> out.write(new byte[] {'N', 'B', 'D'}));
    assertThatThrownBy(() -> NbdClient.connect(uri, options()))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("handshake");
  }

  @Test
  void anOversizedOptionReply() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              out.write(NbdCodec.encodeGreeting(Nbd.FLAG_FIXED_NEWSTYLE).array());
              in.readInt();
              in.readNBytes(16);
              ByteBuffer h =
                  ByteBuffer.allocate(20)
                      .putLong(Nbd.OPTION_REPLY_MAGIC)
                      .putInt(Nbd.OPT_STRUCTURED_REPLY)
                      .putInt(Nbd.REP_ACK)
                      .putInt(-1);
              out.write(h.array());
            });
    assertThatThrownBy(() -> NbdClient.connect(uri, options()))
        .isInstanceOf(NbdProtocolException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void aReplyToTheWrongOption() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              out.write(NbdCodec.encodeGreeting(Nbd.FLAG_FIXED_NEWSTYLE).array());
              in.readInt();
              in.readNBytes(16);
              reply(out, Nbd.OPT_GO, Nbd.REP_ACK, ByteBuffer.allocate(0));
            });
    assertThatThrownBy(() -> NbdClient.connect(uri, options()))
        .isInstanceOf(NbdProtocolException.class)
        .hasMessageContaining("while waiting for NBD_OPT_STRUCTURED_REPLY");
  }

  @Test
  void aReplyForACookieNeverSent() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              handshake(in, out, 1 << 20);
              Request r = request(in);
              chunk(
                  out,
                  Nbd.REPLY_FLAG_DONE,
                  Nbd.REPLY_TYPE_NONE,
                  r.cookie() + 1000,
                  ByteBuffer.allocate(0));
            });
    try (NbdClient c = NbdClient.connect(uri, options())) {
      assertThatThrownBy(() -> c.read(0, new byte[1], 0, 1))
          .isInstanceOf(NbdProtocolException.class)
          .hasMessageContaining("no request in flight has");
      assertThatThrownBy(() -> c.read(0, new byte[1], 0, 1)).hasMessageContaining("unusable");
    }
  }

  @Test
  void readDataOutsideTheRequestedRange() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              handshake(in, out, 1 << 20);
              Request r = request(in);
              ByteBuffer p = ByteBuffer.allocate(8 + 4096).putLong(0, r.offset() + 4096);
              chunk(out, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_OFFSET_DATA, r.cookie(), p);
            });
    try (NbdClient c = NbdClient.connect(uri, options())) {
      assertThatThrownBy(() -> c.read(0, new byte[4096], 0, 4096))
          .isInstanceOf(NbdProtocolException.class)
          .hasMessageContaining("outside the request");
    }
  }

  @Test
  void aReadReplyThatLeavesAGap() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              handshake(in, out, 1 << 20);
              Request r = request(in);
              ByteBuffer p = ByteBuffer.allocate(8 + 100).putLong(0, r.offset());
              chunk(out, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_OFFSET_DATA, r.cookie(), p);
            });
    try (NbdClient c = NbdClient.connect(uri, options())) {
      assertThatThrownBy(() -> c.read(0, new byte[4096], 0, 4096))
          .isInstanceOf(NbdProtocolException.class)
          .hasMessageContaining("covered 100 of 4096");
    }
  }

  @Test
  void aTruncatedChunkThenHangUp() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              handshake(in, out, 1 << 20);
              Request r = request(in);
              ByteBuffer h = ByteBuffer.allocate(ReplyHeader.Chunk.SIZE);
              NbdCodec.encodeChunkHeader(
                  new ReplyHeader.Chunk(1, Nbd.REPLY_TYPE_OFFSET_DATA, r.cookie(), 4104), h);
              out.write(h.array());
              out.write(new byte[100]);
              throw new IOException("hang up");
            });
    try (NbdClient c = NbdClient.connect(uri, options())) {
      assertThatThrownBy(() -> c.read(0, new byte[4096], 0, 4096))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed by the peer");
    }
  }

  @Test
  void aServerThatNeverReplies() throws IOException {
    NbdUri uri = serve((in, out) -> handshake(in, out, 1 << 20));
    try (NbdClient c = NbdClient.connect(uri, options())) {
      assertThatThrownBy(() -> c.read(0, new byte[4096], 0, 4096))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("no reply within 500 ms");
    }
  }

  @Test
  void blockStatusForAContextNeverAgreed() throws IOException {
    NbdUri uri =
        serve(
            (in, out) -> {
              handshake(in, out, 1 << 20);
              Request r = request(in);
              chunk(
                  out,
                  Nbd.REPLY_FLAG_DONE,
                  Nbd.REPLY_TYPE_BLOCK_STATUS,
                  r.cookie(),
                  NbdCodec.encodeBlockStatus(
                      new BlockStatusChunk(77, List.of(new BlockDescriptor(4096, 0)))));
            });
    try (NbdClient c = NbdClient.connect(uri, options())) {
      assertThat(c.info().metaContexts()).containsExactly(Nbd.BASE_ALLOCATION);
      assertThatThrownBy(() -> c.blockStatus(0, 4096, false))
          .isInstanceOf(NbdProtocolException.class)
          .hasMessageContaining("unknown context id 77");
    }
  }
}
