package dev.intact.core.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.nbd.client.NbdClient;
import dev.intact.core.nbd.wire.Command;
import dev.intact.core.nbd.wire.ErrorChunk;
import dev.intact.core.nbd.wire.ExportRequest;
import dev.intact.core.nbd.wire.MetaContextQuery;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.NbdErrno;
import dev.intact.core.nbd.wire.OptionReplyHeader;
import dev.intact.core.nbd.wire.ReplyHeader;
import dev.intact.core.nbd.wire.Request;
import dev.intact.core.testing.MemoryImage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scripted client sends malformed, truncated and oversized messages; the server answers with the
 * protocol's errors or hangs up within its timeouts, and keeps serving well-behaved clients.
 */
class HostileClientTest {
  static final Duration TIMEOUT = Duration.ofMillis(500);
  static final int SO_TIMEOUT =
      10_000; // the test fails, rather than hangs, if the server does not act

  MemoryImage image = new MemoryImage("mem", 1 << 20);
  NbdServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        NbdServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            List.of(NbdExport.readWrite("disk", image)),
            ServerLimits.defaults().withTimeouts(TIMEOUT, TIMEOUT));
  }

  @AfterEach
  void stop() throws Exception {
    // whatever the hostile client did, an honest one is still served
    try (NbdClient c = NbdClient.connect(server.uri("disk"))) {
      byte[] b = new byte[512];
      c.read(0, b, 0, b.length);
    }
    server.close();
  }

  Socket connect() throws IOException {
    InetSocketAddress a = (InetSocketAddress) server.address();
    Socket s = new Socket(a.getAddress(), a.getPort());
    s.setSoTimeout(SO_TIMEOUT);
    return s;
  }

  /** Reads until the server closes; returns how many bytes came first. */
  static long drainUntilClosed(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    long n = 0;
    byte[] b = new byte[4096];
    for (int r; (r = in.read(b)) >= 0; ) {
      n += r;
    }
    return n;
  }

  static void greet(Socket s, int clientFlags) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    assertThat(in.readLong()).isEqualTo(Nbd.NBDMAGIC);
    assertThat(in.readLong()).isEqualTo(Nbd.IHAVEOPT);
    in.readShort();
    new DataOutputStream(s.getOutputStream()).writeInt(clientFlags);
  }

  static void option(Socket s, int option, byte[] payload) throws IOException {
    s.getOutputStream().write(NbdCodec.encodeOption(option, ByteBuffer.wrap(payload)).array());
  }

  static OptionReplyHeader optionReply(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] h = in.readNBytes(OptionReplyHeader.SIZE);
    OptionReplyHeader r = NbdCodec.decodeOptionReplyHeader(ByteBuffer.wrap(h));
    in.readNBytes((int) r.length());
    return r;
  }

  /** Handshakes into transmission with structured replies and base:allocation. */
  static void enterTransmission(Socket s) throws IOException {
    greet(s, Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES);
    option(s, Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
    assertThat(optionReply(s).type()).isEqualTo(Nbd.REP_ACK);
    option(
        s, Nbd.OPT_GO, NbdCodec.encodeExportRequest(new ExportRequest("disk", List.of())).array());
    OptionReplyHeader r;
    do {
      r = optionReply(s);
    } while (r.type() == Nbd.REP_INFO);
    assertThat(r.type()).isEqualTo(Nbd.REP_ACK);
  }

  static void request(Socket s, Request r) throws IOException {
    s.getOutputStream().write(NbdCodec.encodeRequest(r, ByteBuffer.allocate(Request.SIZE)).array());
  }

  static ErrorChunk errorReply(Socket s, long cookie) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    ReplyHeader h =
        NbdCodec.decodeReplyHeader(ByteBuffer.wrap(in.readNBytes(ReplyHeader.Chunk.SIZE)));
    assertThat(h.cookie()).isEqualTo(cookie);
    ReplyHeader.Chunk c = (ReplyHeader.Chunk) h;
    assertThat(c.type()).isEqualTo(Nbd.REPLY_TYPE_ERROR);
    return NbdCodec.decodeError(c.type(), ByteBuffer.wrap(in.readNBytes((int) c.length())));
  }

  @Test
  void unknownClientFlagsEndTheConnection() throws IOException {
    try (Socket s = connect()) {
      greet(s, 0x80);
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void badOptionMagicEndsTheConnection() throws IOException {
    try (Socket s = connect()) {
      greet(s, Nbd.FLAG_C_FIXED_NEWSTYLE);
      s.getOutputStream().write(new byte[16]);
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void oversizedOptionIsRefusedAsTooBig() throws IOException {
    try (Socket s = connect()) {
      greet(s, Nbd.FLAG_C_FIXED_NEWSTYLE);
      ByteBuffer h = ByteBuffer.allocate(16).putLong(Nbd.IHAVEOPT).putInt(Nbd.OPT_GO).putInt(-1);
      s.getOutputStream().write(h.array());
      assertThat(optionReply(s).type()).isEqualTo(Nbd.REP_ERR_TOO_BIG);
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void malformedOptionDataGetsErrInvalidAndTheHandshakeGoesOn() throws IOException {
    try (Socket s = connect()) {
      greet(s, Nbd.FLAG_C_FIXED_NEWSTYLE);
      // name length says 1000 but 3 bytes follow
      option(
          s,
          Nbd.OPT_GO,
          ByteBuffer.allocate(7)
              .putInt(1000)
              .put("abc".getBytes(StandardCharsets.US_ASCII))
              .array());
      assertThat(optionReply(s).type()).isEqualTo(Nbd.REP_ERR_INVALID);
      option(s, 0x1234, new byte[0]);
      assertThat(optionReply(s).type()).isEqualTo(Nbd.REP_ERR_UNSUP);
      option(
          s,
          Nbd.OPT_SET_META_CONTEXT,
          NbdCodec.encodeMetaContextQuery(
                  new MetaContextQuery("disk", List.of(Nbd.BASE_ALLOCATION)))
              .array());
      assertThat(optionReply(s).type()).isEqualTo(Nbd.REP_ERR_INVALID); // before structured replies
      option(s, Nbd.OPT_ABORT, new byte[0]);
      assertThat(optionReply(s).type()).isEqualTo(Nbd.REP_ACK);
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void aStalledHandshakeIsCutOffByTheTimeout() throws IOException {
    try (Socket s = connect()) {
      greet(s, Nbd.FLAG_C_FIXED_NEWSTYLE);
      s.getOutputStream().write(new byte[] {'I', 'H', 'A'}); // then nothing
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void badRequestMagicEndsTransmission() throws IOException {
    try (Socket s = connect()) {
      enterTransmission(s);
      s.getOutputStream().write(new byte[Request.SIZE]);
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void aTruncatedRequestIsCutOffByTheTimeout() throws IOException {
    try (Socket s = connect()) {
      enterTransmission(s);
      s.getOutputStream().write(new byte[] {0x25, 0x60, (byte) 0x95, 0x13, 0, 0});
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  /** A whole header is not a whole request: a write's data must follow in time too. */
  @Test
  void aWriteWhoseDataStallsIsCutOffByTheTimeout() throws IOException {
    try (Socket s = connect()) {
      enterTransmission(s);
      request(s, new Request(0, Command.WRITE, 8, 0, 4096));
      s.getOutputStream().write(new byte[100]);
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void aWriteLargerThanTheLimitIsRefusedThenTheConnectionEnds() throws IOException {
    try (Socket s = connect()) {
      enterTransmission(s);
      request(s, new Request(0, Command.WRITE, 7, 0, 0xffffffffL));
      assertThat(NbdErrno.ofCode(errorReply(s, 7).error())).isEqualTo(NbdErrno.EOVERFLOW);
      assertThat(drainUntilClosed(s)).isZero();
    }
  }

  @Test
  void outOfRangeUnknownAndOversizedRequestsGetErrorRepliesOnALiveConnection() throws IOException {
    try (Socket s = connect()) {
      enterTransmission(s);
      request(s, new Request(0, Command.READ, 1, Long.MAX_VALUE - 10, 4096));
      assertThat(NbdErrno.ofCode(errorReply(s, 1).error())).isEqualTo(NbdErrno.EINVAL);
      request(s, new Request(0, Command.READ, 2, -4096, 4096)); // offset 2^64-4096
      assertThat(NbdErrno.ofCode(errorReply(s, 2).error())).isEqualTo(NbdErrno.EINVAL);
      request(s, new Request(0, 99, 3, 0, 0));
      assertThat(NbdErrno.ofCode(errorReply(s, 3).error())).isEqualTo(NbdErrno.EINVAL);
      request(s, new Request(0, Command.READ, 4, 0, 0xffffffffL));
      assertThat(NbdErrno.ofCode(errorReply(s, 4).error())).isEqualTo(NbdErrno.EOVERFLOW);
      request(s, new Request(0x8000, Command.READ, 5, 0, 512));
      assertThat(NbdErrno.ofCode(errorReply(s, 5).error())).isEqualTo(NbdErrno.EINVAL);
      request(s, new Request(0, Command.BLOCK_STATUS, 6, 0, 512)); // no meta context negotiated
      assertThat(NbdErrno.ofCode(errorReply(s, 6).error())).isEqualTo(NbdErrno.EINVAL);
      request(s, new Request(0, Command.FLUSH, 8, 1, 1));
      assertThat(NbdErrno.ofCode(errorReply(s, 8).error())).isEqualTo(NbdErrno.EINVAL);
      request(s, new Request(0, Command.DISC, 9, 0, 0));
      assertThat(drainUntilClosed(s)).isZero();
    }
  }
}
