package dev.intact.core.nbd.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns NBD wire messages into records and back. It does no I/O: every decoder takes a buffer that
 * holds exactly one message (or one fixed-size header) and either returns a record or throws {@link
 * NbdProtocolException} naming what was wrong, so it can be fed arbitrary bytes.
 *
 * <p>All integers are big-endian (the protocol's network byte order); 32-bit lengths are unsigned.
 */
public final class NbdCodec {
  private NbdCodec() {}

  // ---- handshake ----

  /** Server: {@code NBDMAGIC}, {@code IHAVEOPT}, 16-bit handshake flags. */
  public static ByteBuffer encodeGreeting(int handshakeFlags) {
    return ByteBuffer.allocate(18)
        .putLong(Nbd.NBDMAGIC)
        .putLong(Nbd.IHAVEOPT)
        .putShort((short) handshakeFlags)
        .flip();
  }

  /** Client: checks the greeting's magics and returns the handshake flags. */
  public static int decodeGreeting(ByteBuffer b) throws NbdProtocolException {
    need(b, 18, "server greeting");
    long magic = b.getLong();
    if (magic != Nbd.NBDMAGIC) {
      throw new NbdProtocolException("not an NBD server: greeting magic " + hex(magic));
    }
    long version = b.getLong();
    if (version != Nbd.IHAVEOPT) {
      throw new NbdProtocolException(
          "server speaks oldstyle or an unknown NBD handshake (magic "
              + hex(version)
              + "); only newstyle is supported");
    }
    int flags = Short.toUnsignedInt(b.getShort());
    if ((flags & Nbd.FLAG_FIXED_NEWSTYLE) == 0) {
      throw new NbdProtocolException("server does not offer fixed newstyle negotiation");
    }
    return flags;
  }

  public static ByteBuffer encodeClientFlags(int flags) {
    return ByteBuffer.allocate(4).putInt(flags).flip();
  }

  public static int decodeClientFlags(ByteBuffer b) throws NbdProtocolException {
    need(b, 4, "client flags");
    return b.getInt();
  }

  // ---- options ----

  public static ByteBuffer encodeOption(int option, ByteBuffer payload) {
    ByteBuffer b = ByteBuffer.allocate(OptionHeader.SIZE + payload.remaining());
    b.putLong(Nbd.IHAVEOPT).putInt(option).putInt(payload.remaining()).put(payload.duplicate());
    return b.flip();
  }

  public static OptionHeader decodeOptionHeader(ByteBuffer b) throws NbdProtocolException {
    need(b, OptionHeader.SIZE, "option header");
    long magic = b.getLong();
    if (magic != Nbd.IHAVEOPT) {
      throw new NbdProtocolException("bad option magic " + hex(magic) + " (expected IHAVEOPT)");
    }
    int option = b.getInt();
    long length = Integer.toUnsignedLong(b.getInt());
    return new OptionHeader(option, length);
  }

  public static ByteBuffer encodeOptionReply(int option, int type, ByteBuffer payload) {
    ByteBuffer b = ByteBuffer.allocate(OptionReplyHeader.SIZE + payload.remaining());
    b.putLong(Nbd.OPTION_REPLY_MAGIC)
        .putInt(option)
        .putInt(type)
        .putInt(payload.remaining())
        .put(payload.duplicate());
    return b.flip();
  }

  public static OptionReplyHeader decodeOptionReplyHeader(ByteBuffer b)
      throws NbdProtocolException {
    need(b, OptionReplyHeader.SIZE, "option reply header");
    long magic = b.getLong();
    if (magic != Nbd.OPTION_REPLY_MAGIC) {
      throw new NbdProtocolException("bad option reply magic " + hex(magic));
    }
    int option = b.getInt();
    int type = b.getInt();
    long length = Integer.toUnsignedLong(b.getInt());
    return new OptionReplyHeader(option, type, length);
  }

  public static ByteBuffer encodeExportRequest(ExportRequest r) {
    byte[] name = utf8(r.exportName());
    ByteBuffer b = ByteBuffer.allocate(4 + name.length + 2 + 2 * r.infoRequests().size());
    b.putInt(name.length).put(name).putShort((short) r.infoRequests().size());
    for (int info : r.infoRequests()) {
      b.putShort((short) info);
    }
    return b.flip();
  }

  public static ExportRequest decodeExportRequest(ByteBuffer b) throws NbdProtocolException {
    String name = string32(b, "export name");
    need(b, 2, "information request count");
    int n = Short.toUnsignedInt(b.getShort());
    need(b, 2L * n, "information requests");
    List<Integer> infos = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      infos.add(Short.toUnsignedInt(b.getShort()));
    }
    end(b, "export request");
    return new ExportRequest(name, infos);
  }

  public static ByteBuffer encodeMetaContextQuery(MetaContextQuery q) {
    byte[] name = utf8(q.exportName());
    List<byte[]> queries = q.queries().stream().map(NbdCodec::utf8).toList();
    int size = 4 + name.length + 4 + queries.stream().mapToInt(x -> 4 + x.length).sum();
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(name.length).put(name).putInt(queries.size());
    for (byte[] query : queries) {
      b.putInt(query.length).put(query);
    }
    return b.flip();
  }

  public static MetaContextQuery decodeMetaContextQuery(ByteBuffer b) throws NbdProtocolException {
    String name = string32(b, "export name");
    need(b, 4, "query count");
    long n = Integer.toUnsignedLong(b.getInt());
    // Each query takes at least its 4-byte length: a count the payload cannot hold is a lie.
    need(b, 4 * n, "meta context queries");
    List<String> queries = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      queries.add(string32(b, "meta context query"));
    }
    end(b, "meta context request");
    return new MetaContextQuery(name, queries);
  }

  public static ByteBuffer encodeMetaContext(MetaContext c) {
    byte[] name = utf8(c.name());
    return ByteBuffer.allocate(4 + name.length).putInt(c.id()).put(name).flip();
  }

  public static MetaContext decodeMetaContext(ByteBuffer b) throws NbdProtocolException {
    need(b, 4, "meta context id");
    int id = b.getInt();
    String name = string(b, b.remaining(), "meta context name");
    return new MetaContext(id, name);
  }

  /** NBD_REP_SERVER payload for NBD_OPT_LIST: a length-prefixed name, then a description. */
  public static ByteBuffer encodeServerEntry(String name, String description) {
    byte[] n = utf8(name);
    byte[] d = utf8(description);
    return ByteBuffer.allocate(4 + n.length + d.length).putInt(n.length).put(n).put(d).flip();
  }

  public static String decodeServerEntry(ByteBuffer b) throws NbdProtocolException {
    String name = string32(b, "export name");
    string(b, b.remaining(), "export description");
    return name;
  }

  public static ByteBuffer encodeInfo(InfoReply info) {
    return switch (info) {
      case InfoReply.ExportInfo e ->
          ByteBuffer.allocate(12)
              .putShort((short) Nbd.INFO_EXPORT)
              .putLong(e.size())
              .putShort((short) e.transmissionFlags())
              .flip();
      case InfoReply.BlockSizeInfo s ->
          ByteBuffer.allocate(14)
              .putShort((short) Nbd.INFO_BLOCK_SIZE)
              .putInt(s.minimum())
              .putInt(s.preferred())
              .putInt(s.maximum())
              .flip();
      case InfoReply.NameInfo n -> typedString(Nbd.INFO_NAME, n.name());
      case InfoReply.DescriptionInfo d -> typedString(Nbd.INFO_DESCRIPTION, d.description());
      case InfoReply.UnknownInfo u -> ByteBuffer.allocate(2).putShort((short) u.type()).flip();
    };
  }

  public static InfoReply decodeInfo(ByteBuffer b) throws NbdProtocolException {
    need(b, 2, "information type");
    int type = Short.toUnsignedInt(b.getShort());
    InfoReply info =
        switch (type) {
          case Nbd.INFO_EXPORT -> {
            need(b, 10, "NBD_INFO_EXPORT");
            long size = b.getLong();
            if (size < 0) {
              throw new NbdProtocolException(
                  "export size " + Long.toUnsignedString(size) + " is too large");
            }
            yield new InfoReply.ExportInfo(size, Short.toUnsignedInt(b.getShort()));
          }
          case Nbd.INFO_BLOCK_SIZE -> {
            need(b, 12, "NBD_INFO_BLOCK_SIZE");
            InfoReply.BlockSizeInfo s =
                new InfoReply.BlockSizeInfo(b.getInt(), b.getInt(), b.getInt());
            checkBlockSizes(s);
            yield s;
          }
          case Nbd.INFO_NAME -> new InfoReply.NameInfo(string(b, b.remaining(), "NBD_INFO_NAME"));
          case Nbd.INFO_DESCRIPTION ->
              new InfoReply.DescriptionInfo(string(b, b.remaining(), "NBD_INFO_DESCRIPTION"));
          default -> {
            b.position(b.limit());
            yield new InfoReply.UnknownInfo(type);
          }
        };
    end(b, "NBD_REP_INFO");
    return info;
  }

  private static void checkBlockSizes(InfoReply.BlockSizeInfo s) throws NbdProtocolException {
    long min = Integer.toUnsignedLong(s.minimum());
    long pref = Integer.toUnsignedLong(s.preferred());
    long max = Integer.toUnsignedLong(s.maximum()); // 0xffffffff: no limit of the server's own
    if (min < 1
        || min > 65536
        || Long.bitCount(min) != 1
        || Long.bitCount(pref) != 1
        || pref < min
        || max < min) {
      throw new NbdProtocolException(
          "invalid block size constraints: minimum "
              + min
              + ", preferred "
              + pref
              + ", maximum "
              + max);
    }
  }

  /** NBD_OPT_EXPORT_NAME's payload: the name, with no length prefix. */
  public static String decodeExportName(ByteBuffer b) throws NbdProtocolException {
    return string(b, b.remaining(), "export name");
  }

  /** An option error's payload: an optional human-readable message. */
  public static String decodeOptionError(ByteBuffer b) throws NbdProtocolException {
    return string(b, b.remaining(), "option error message");
  }

  // ---- transmission ----

  public static ByteBuffer encodeRequest(Request r, ByteBuffer into) {
    return into.putInt(Nbd.REQUEST_MAGIC)
        .putShort((short) r.flags())
        .putShort((short) r.type())
        .putLong(r.cookie())
        .putLong(r.offset())
        .putInt((int) r.length());
  }

  public static Request decodeRequest(ByteBuffer b) throws NbdProtocolException {
    need(b, Request.SIZE, "request header");
    int magic = b.getInt();
    if (magic != Nbd.REQUEST_MAGIC) {
      throw new NbdProtocolException("bad request magic 0x" + Integer.toHexString(magic));
    }
    int flags = Short.toUnsignedInt(b.getShort());
    int type = Short.toUnsignedInt(b.getShort());
    long cookie = b.getLong();
    long offset = b.getLong();
    long length = Integer.toUnsignedLong(b.getInt());
    return new Request(flags, type, cookie, offset, length);
  }

  public static ByteBuffer encodeSimpleReply(ReplyHeader.Simple r, ByteBuffer into) {
    return into.putInt(Nbd.SIMPLE_REPLY_MAGIC).putInt(r.error()).putLong(r.cookie());
  }

  public static ByteBuffer encodeChunkHeader(ReplyHeader.Chunk c, ByteBuffer into) {
    return into.putInt(Nbd.STRUCTURED_REPLY_MAGIC)
        .putShort((short) c.flags())
        .putShort((short) c.type())
        .putLong(c.cookie())
        .putInt((int) c.length());
  }

  /**
   * How many header bytes a reply starting with {@code magic} has: a client reads the 4-byte magic,
   * then the rest.
   */
  public static int replyHeaderSize(int magic) throws NbdProtocolException {
    return switch (magic) {
      case Nbd.SIMPLE_REPLY_MAGIC -> ReplyHeader.Simple.SIZE;
      case Nbd.STRUCTURED_REPLY_MAGIC -> ReplyHeader.Chunk.SIZE;
      default -> throw new NbdProtocolException("bad reply magic 0x" + Integer.toHexString(magic));
    };
  }

  /** Decodes a whole reply header (magic included) as sized by {@link #replyHeaderSize}. */
  public static ReplyHeader decodeReplyHeader(ByteBuffer b) throws NbdProtocolException {
    need(b, 4, "reply magic");
    int magic = b.getInt();
    int size = replyHeaderSize(magic);
    need(b, size - 4, "reply header");
    if (magic == Nbd.SIMPLE_REPLY_MAGIC) {
      return new ReplyHeader.Simple(b.getInt(), b.getLong());
    }
    int flags = Short.toUnsignedInt(b.getShort());
    int type = Short.toUnsignedInt(b.getShort());
    long cookie = b.getLong();
    long length = Integer.toUnsignedLong(b.getInt());
    return new ReplyHeader.Chunk(flags, type, cookie, length);
  }

  public static ByteBuffer encodeBlockStatus(BlockStatusChunk c) {
    ByteBuffer b = ByteBuffer.allocate(4 + BlockDescriptor.SIZE * c.descriptors().size());
    b.putInt(c.contextId());
    for (BlockDescriptor d : c.descriptors()) {
      b.putInt((int) d.length()).putInt(d.flags());
    }
    return b.flip();
  }

  public static BlockStatusChunk decodeBlockStatus(ByteBuffer b) throws NbdProtocolException {
    need(b, 4, "block status context id");
    int id = b.getInt();
    if (b.remaining() == 0 || b.remaining() % BlockDescriptor.SIZE != 0) {
      throw new NbdProtocolException(
          "block status payload of "
              + (b.remaining() + 4)
              + " bytes is not a whole number of descriptors");
    }
    List<BlockDescriptor> descriptors = new ArrayList<>(b.remaining() / BlockDescriptor.SIZE);
    while (b.hasRemaining()) {
      long length = Integer.toUnsignedLong(b.getInt());
      int flags = b.getInt();
      if (length == 0) {
        throw new NbdProtocolException("block status descriptor of length 0");
      }
      descriptors.add(new BlockDescriptor(length, flags));
    }
    return new BlockStatusChunk(id, descriptors);
  }

  public static ByteBuffer encodeError(ErrorChunk e) {
    byte[] msg = utf8(e.message());
    ByteBuffer b = ByteBuffer.allocate(6 + msg.length + (e.offset().isPresent() ? 8 : 0));
    b.putInt(e.error()).putShort((short) msg.length).put(msg);
    e.offset().ifPresent(b::putLong);
    return b.flip();
  }

  public static ErrorChunk decodeError(int type, ByteBuffer b) throws NbdProtocolException {
    need(b, 6, "error chunk");
    int error = b.getInt();
    int msgLength = Short.toUnsignedInt(b.getShort());
    String message = string(b, msgLength, "error message");
    OptionalLong offset = OptionalLong.empty();
    if (type == Nbd.REPLY_TYPE_ERROR_OFFSET) {
      need(b, 8, "error offset");
      offset = OptionalLong.of(b.getLong());
    }
    end(b, "error chunk");
    if (error == 0) {
      throw new NbdProtocolException("error chunk with error value 0");
    }
    return new ErrorChunk(error, message, offset);
  }

  public static ByteBuffer encodeHole(HoleChunk h) {
    return ByteBuffer.allocate(HoleChunk.SIZE).putLong(h.offset()).putInt((int) h.size()).flip();
  }

  public static HoleChunk decodeHole(ByteBuffer b) throws NbdProtocolException {
    need(b, HoleChunk.SIZE, "hole chunk");
    HoleChunk h = new HoleChunk(b.getLong(), Integer.toUnsignedLong(b.getInt()));
    end(b, "hole chunk");
    if (h.size() == 0) {
      throw new NbdProtocolException("hole chunk of size 0");
    }
    return h;
  }

  // ---- strings and bounds ----

  public static byte[] utf8(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > Nbd.MAX_STRING) {
      throw new IllegalArgumentException(
          "string of " + bytes.length + " bytes is longer than 4096");
    }
    return bytes;
  }

  private static ByteBuffer typedString(int type, String s) {
    byte[] bytes = utf8(s);
    return ByteBuffer.allocate(2 + bytes.length).putShort((short) type).put(bytes).flip();
  }

  private static String string32(ByteBuffer b, String what) throws NbdProtocolException {
    need(b, 4, what + " length");
    long length = Integer.toUnsignedLong(b.getInt());
    return string(b, length, what);
  }

  private static String string(ByteBuffer b, long length, String what) throws NbdProtocolException {
    if (length > Nbd.MAX_STRING) {
      throw new NbdProtocolException(what + " of " + length + " bytes is longer than 4096");
    }
    need(b, length, what);
    ByteBuffer slice = b.slice(b.position(), (int) length);
    b.position(b.position() + (int) length);
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(slice)
              .toString();
      if (s.indexOf('\0') >= 0) {
        throw new NbdProtocolException(what + " contains a NUL character");
      }
      return s;
    } catch (CharacterCodingException e) {
      throw new NbdProtocolException(what + " is not valid UTF-8", e);
    }
  }

  private static void need(ByteBuffer b, long n, String what) throws NbdProtocolException {
    if (b.remaining() < n) {
      throw new NbdProtocolException(
          what + " truncated: need " + n + " bytes, have " + b.remaining());
    }
  }

  private static void end(ByteBuffer b, String what) throws NbdProtocolException {
    if (b.hasRemaining()) {
      throw new NbdProtocolException(what + " has " + b.remaining() + " trailing bytes");
    }
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
