package dev.intact.core.nbd.client;

import dev.intact.core.nbd.transport.Channels;
import dev.intact.core.nbd.wire.ExportInfo;
import dev.intact.core.nbd.wire.ExportRequest;
import dev.intact.core.nbd.wire.InfoReply;
import dev.intact.core.nbd.wire.MetaContext;
import dev.intact.core.nbd.wire.MetaContextQuery;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.NbdOptionException;
import dev.intact.core.nbd.wire.NbdProtocolException;
import dev.intact.core.nbd.wire.OptionReplyHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's side of the handshake (fixed newstyle): structured replies and the meta contexts
 * asked for, then the export with its size, flags and block sizes; every reply checked.
 */
final class ClientHandshake {
  private final NbdUri uri;
  private final SocketChannel ch;
  private final NbdClient.Options options;
  final Map<Integer, String> contextIds = new HashMap<>();

  ClientHandshake(NbdUri uri, SocketChannel ch, NbdClient.Options options) {
    this.uri = uri;
    this.ch = ch;
    this.options = options;
  }

  /** Negotiates, then ends with {@code finalOption}: NBD_OPT_GO, or NBD_OPT_INFO then ABORT. */
  ExportInfo run(int finalOption) throws IOException {
    int serverFlags = NbdCodec.decodeGreeting(Channels.read(ch, 18, "the server greeting"));
    boolean noZeroes = (serverFlags & Nbd.FLAG_NO_ZEROES) != 0;
    int clientFlags = Nbd.FLAG_C_FIXED_NEWSTYLE | (noZeroes ? Nbd.FLAG_C_NO_ZEROES : 0);
    Channels.writeFully(ch, NbdCodec.encodeClientFlags(clientFlags));

    boolean structured = false;
    send(Nbd.OPT_STRUCTURED_REPLY, ByteBuffer.allocate(0));
    Reply r = reply(Nbd.OPT_STRUCTURED_REPLY);
    if (r.header.type() == Nbd.REP_ACK) {
      structured = true;
    } else if (!r.header.isError()) {
      throw unexpected(r);
    }

    if (structured && !options.metaContexts().isEmpty()) {
      send(
          Nbd.OPT_SET_META_CONTEXT,
          NbdCodec.encodeMetaContextQuery(
              new MetaContextQuery(uri.exportName(), options.metaContexts())));
      while (true) {
        r = reply(Nbd.OPT_SET_META_CONTEXT);
        if (r.header.type() == Nbd.REP_META_CONTEXT) {
          MetaContext c = NbdCodec.decodeMetaContext(r.payload);
          if (!options.metaContexts().contains(c.name())) {
            throw new NbdProtocolException(
                "server chose meta context " + c.name() + ", never asked for");
          }
          contextIds.put(c.id(), c.name());
        } else if (r.header.type() == Nbd.REP_ACK || r.header.isError()) {
          // An error here means no block status; reads and writes still work.
          break;
        } else {
          throw unexpected(r);
        }
      }
    }

    send(
        finalOption,
        NbdCodec.encodeExportRequest(
            new ExportRequest(uri.exportName(), List.of(Nbd.INFO_BLOCK_SIZE))));
    long size = -1;
    int flags = 0;
    int min = 1;
    int pref = 4096;
    int max = ExportInfo.DEFAULT_MAXIMUM_BLOCK_SIZE;
    while (true) {
      r = reply(finalOption);
      if (r.header.type() == Nbd.REP_ACK) {
        break;
      }
      if (r.header.isError()) {
        String message = NbdCodec.decodeOptionError(r.payload);
        throw new NbdOptionException(uri.toString(), finalOption, r.header.type(), message);
      }
      if (r.header.type() != Nbd.REP_INFO) {
        throw unexpected(r);
      }
      switch (NbdCodec.decodeInfo(r.payload)) {
        case InfoReply.ExportInfo e -> {
          size = e.size();
          flags = e.transmissionFlags();
        }
        case InfoReply.BlockSizeInfo b -> {
          min = b.minimum();
          pref = b.preferred();
          // Our own cap too: no single request above 32 MiB even if the server would take it.
          max =
              (int)
                  Math.min(
                      Integer.toUnsignedLong(b.maximum()), ExportInfo.DEFAULT_MAXIMUM_BLOCK_SIZE);
        }
        default -> {}
      }
    }
    if (size < 0) {
      throw new NbdProtocolException(
          "server finished " + Nbd.optionName(finalOption) + " without NBD_INFO_EXPORT");
    }
    if ((flags & Nbd.FLAG_HAS_FLAGS) == 0) {
      throw new NbdProtocolException("transmission flags lack NBD_FLAG_HAS_FLAGS");
    }
    Set<String> names = new HashSet<>(contextIds.values());
    return new ExportInfo(uri.exportName(), size, flags, min, pref, max, structured, names);
  }

  /** NBD_OPT_ABORT; the server's ACK is a courtesy it may skip by hanging up. */
  void abort() throws IOException {
    send(Nbd.OPT_ABORT, ByteBuffer.allocate(0));
    try {
      reply(Nbd.OPT_ABORT);
    } catch (IOException hungUp) {
      // allowed: the server may close without acknowledging
    }
  }

  private void send(int option, ByteBuffer payload) throws IOException {
    Channels.writeFully(ch, NbdCodec.encodeOption(option, payload));
  }

  private record Reply(OptionReplyHeader header, ByteBuffer payload) {}

  private Reply reply(int option) throws IOException {
    OptionReplyHeader h =
        NbdCodec.decodeOptionReplyHeader(
            Channels.read(ch, OptionReplyHeader.SIZE, "an option reply"));
    if (h.option() != option) {
      throw new NbdProtocolException(
          "reply to "
              + Nbd.optionName(h.option())
              + " while waiting for "
              + Nbd.optionName(option));
    }
    if (h.length() > NbdClient.MAX_OPTION_REPLY) {
      throw new NbdProtocolException("option reply of " + h.length() + " bytes is too large");
    }
    return new Reply(h, Channels.read(ch, (int) h.length(), "an option reply"));
  }

  private NbdProtocolException unexpected(Reply r) {
    return new NbdProtocolException(
        "unexpected "
            + Nbd.replyName(r.header.type())
            + " to "
            + Nbd.optionName(r.header.option()));
  }
}
