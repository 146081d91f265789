package dev.intact.core.nbd.wire;

import dev.intact.core.nbd.server.NbdExport;
import dev.intact.core.nbd.server.NbdServerSession;
import dev.intact.core.nbd.server.ServerLimits;
import dev.intact.core.testing.MemoryImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Feeds arbitrary bytes to the codec and to a whole server session (in memory, no sockets). The
 * only acceptable outcomes are a result or {@link NbdProtocolException}; any other exception, or a
 * hang, is a bug.
 */
final class FuzzHarness {
  private FuzzHarness() {}

  /** Bytes in, bytes out: the client's whole side of a conversation. */
  static final class MemoryChannel implements ByteChannel {
    private final ByteBuffer in;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean open = true;

    MemoryChannel(byte[] input) {
      in = ByteBuffer.wrap(input);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
      if (!in.hasRemaining()) {
        return -1;
      }
      int n = Math.min(dst.remaining(), in.remaining());
      dst.put(in.slice(in.position(), n));
      in.position(in.position() + n);
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
      int n = src.remaining();
      byte[] b = new byte[n];
      src.get(b);
      out.write(b);
      return n;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }

  /** What a session sent back, and what the writable export holds afterwards. */
  @SuppressWarnings(
      "ArrayRecordComponent") // raw bytes handed to the test, never compared as records
  record Served(byte[] out, byte[] exportContent) {}

  /** Runs a server session over {@code clientBytes}. */
  static Served serve(byte[] clientBytes) {
    MemoryImage rw = new MemoryImage("rw", 64 * 1024);
    MemoryImage ro = new MemoryImage("ro", new byte[8192]);
    MemoryChannel ch = new MemoryChannel(clientBytes);
    ServerLimits limits =
        new ServerLimits(64 * 1024, 8 * 1024, Duration.ofMinutes(1), Duration.ofMinutes(1));
    try {
      new NbdServerSession(
              ch,
              ch::close,
              List.of(NbdExport.readWrite("", rw), NbdExport.readOnly("ro", ro)),
              limits,
              "fuzz")
          .run();
    } catch (NbdProtocolException expected) {
      // a hostile client loses its connection: fine
    } catch (IOException e) {
      throw new AssertionError("server session failed with a non-protocol error", e);
    }
    return new Served(ch.out.toByteArray(), rw.content());
  }

  /** Runs every decoder over {@code data}. */
  static void decode(byte[] data) {
    for (int i = 0; i < DECODERS.size(); i++) {
      try {
        DECODERS.get(i).decode(ByteBuffer.wrap(data));
      } catch (NbdProtocolException expected) {
        // malformed input is rejected with a message: fine
      }
    }
  }

  interface Decoder {
    void decode(ByteBuffer b) throws NbdProtocolException;
  }

  static final List<Decoder> DECODERS =
      List.of(
          NbdCodec::decodeGreeting,
          NbdCodec::decodeClientFlags,
          NbdCodec::decodeOptionHeader,
          NbdCodec::decodeOptionReplyHeader,
          NbdCodec::decodeExportRequest,
          NbdCodec::decodeMetaContextQuery,
          NbdCodec::decodeMetaContext,
          NbdCodec::decodeServerEntry,
          NbdCodec::decodeInfo,
          NbdCodec::decodeOptionError,
          NbdCodec::decodeExportName,
          NbdCodec::decodeRequest,
          NbdCodec::decodeReplyHeader,
          NbdCodec::decodeBlockStatus,
          b -> NbdCodec.decodeError(Nbd.REPLY_TYPE_ERROR, b),
          b -> NbdCodec.decodeError(Nbd.REPLY_TYPE_ERROR_OFFSET, b),
          NbdCodec::decodeHole);

  /** A well-formed client conversation touching every option and command: the fuzzers' seed. */
  static byte[] validConversation() {
    ByteBuffer b = ByteBuffer.allocate(4096);
    b.putInt(Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES);
    b.put(NbdCodec.encodeOption(Nbd.OPT_LIST, ByteBuffer.allocate(0)));
    b.put(NbdCodec.encodeOption(Nbd.OPT_STRUCTURED_REPLY, ByteBuffer.allocate(0)));
    b.put(
        NbdCodec.encodeOption(
            Nbd.OPT_LIST_META_CONTEXT,
            NbdCodec.encodeMetaContextQuery(new MetaContextQuery("", List.of("base:")))));
    b.put(
        NbdCodec.encodeOption(
            Nbd.OPT_SET_META_CONTEXT,
            NbdCodec.encodeMetaContextQuery(
                new MetaContextQuery("", List.of(Nbd.BASE_ALLOCATION)))));
    b.put(
        NbdCodec.encodeOption(
            Nbd.OPT_INFO,
            NbdCodec.encodeExportRequest(
                new ExportRequest("ro", List.of(Nbd.INFO_BLOCK_SIZE, Nbd.INFO_NAME)))));
    b.put(
        NbdCodec.encodeOption(
            Nbd.OPT_GO,
            NbdCodec.encodeExportRequest(
                new ExportRequest("", List.of(Nbd.INFO_BLOCK_SIZE, Nbd.INFO_DESCRIPTION)))));
    long cookie = 1;
    NbdCodec.encodeRequest(new Request(0, Command.WRITE, cookie++, 4096, 16), b).put(new byte[16]);
    NbdCodec.encodeRequest(new Request(Nbd.CMD_FLAG_FUA, Command.WRITE, cookie++, 0, 8), b)
        .put("intact!!".getBytes(StandardCharsets.US_ASCII));
    NbdCodec.encodeRequest(new Request(0, Command.READ, cookie++, 0, 8192), b);
    NbdCodec.encodeRequest(new Request(Nbd.CMD_FLAG_DF, Command.READ, cookie++, 0, 100), b);
    NbdCodec.encodeRequest(
        new Request(Nbd.CMD_FLAG_NO_HOLE, Command.WRITE_ZEROES, cookie++, 8192, 4096), b);
    NbdCodec.encodeRequest(new Request(0, Command.TRIM, cookie++, 16384, 4096), b);
    NbdCodec.encodeRequest(new Request(0, Command.BLOCK_STATUS, cookie++, 0, 65536), b);
    NbdCodec.encodeRequest(
        new Request(Nbd.CMD_FLAG_REQ_ONE, Command.BLOCK_STATUS, cookie++, 0, 65536), b);
    NbdCodec.encodeRequest(new Request(0, Command.FLUSH, cookie++, 0, 0), b);
    NbdCodec.encodeRequest(new Request(0, Command.DISC, cookie, 0, 0), b);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }
}
