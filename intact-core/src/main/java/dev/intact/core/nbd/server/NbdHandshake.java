package dev.intact.core.nbd.server;

import dev.intact.core.nbd.transport.Channels;
import dev.intact.core.nbd.wire.ExportRequest;
import dev.intact.core.nbd.wire.InfoReply;
import dev.intact.core.nbd.wire.MetaContext;
import dev.intact.core.nbd.wire.MetaContextQuery;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.NbdProtocolException;
import dev.intact.core.nbd.wire.OptionHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.Map;

/**
 * The handshake of one connection, server side (fixed newstyle): the greeting, then the client's
 * options answered one by one (list, info, structured replies, meta contexts) until it chooses an
 * export with {@code NBD_OPT_GO} or {@code NBD_OPT_EXPORT_NAME}, aborts, or leaves. Every field of
 * every option is checked; an option the protocol lets us refuse gets an error reply, one it does
 * not ends the session with {@link NbdProtocolException}.
 */
final class NbdHandshake {
  /** Meta context id of {@code base:allocation}, the only context served. */
  static final int BASE_ALLOCATION_ID = 1;

  private static final int PREFERRED_BLOCK = 4096;
  private static final int KNOWN_CLIENT_FLAGS = Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES;

  /**
   * What the client chose: the export and its size, whether replies are structured, and whether it
   * asked for {@code base:allocation} block status of that export.
   */
  record Negotiated(NbdExport export, long size, boolean structured, boolean baseAllocation) {}

  private final ByteChannel ch;
  private final Map<String, NbdExport> exports;
  private final ServerLimits limits;
  private final String peer;

  private boolean noZeroes;
  private boolean structured;
  private boolean baseAllocation;
  private String metaContextExport;
  private NbdExport export;
  private long size;

  /** {@code exports} by name; {@code peer} names the client in errors. */
  NbdHandshake(ByteChannel ch, Map<String, NbdExport> exports, ServerLimits limits, String peer) {
    this.ch = ch;
    this.exports = exports;
    this.limits = limits;
    this.peer = peer;
  }

  /**
   * Haggles until the client chooses an export: what it chose, or null if it aborted or left
   * instead.
   */
  Negotiated negotiate() throws IOException {
    return haggle() ? new Negotiated(export, size, structured, baseAllocation) : null;
  }

  /** Returns whether the client entered transmission (false: it aborted or left). */
  private boolean haggle() throws IOException {
    Channels.writeFully(ch, NbdCodec.encodeGreeting(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES));
    ByteBuffer flagsBuf = ByteBuffer.allocate(4);
    if (!Channels.readFully(ch, flagsBuf, "client flags", true)) {
      return false;
    }
    int clientFlags = NbdCodec.decodeClientFlags(flagsBuf.flip());
    if ((clientFlags & ~KNOWN_CLIENT_FLAGS) != 0) {
      throw new NbdProtocolException(
          peer + ": unknown client flags 0x" + Integer.toHexString(clientFlags));
    }
    if ((clientFlags & Nbd.FLAG_C_FIXED_NEWSTYLE) == 0) {
      throw new NbdProtocolException(peer + ": client does not speak fixed newstyle");
    }
    noZeroes = (clientFlags & Nbd.FLAG_C_NO_ZEROES) != 0;

    ByteBuffer headerBuf = ByteBuffer.allocate(OptionHeader.SIZE);
    while (true) {
      headerBuf.clear();
      if (!Channels.readFully(ch, headerBuf, "an option header", true)) {
        return false;
      }
      OptionHeader h = NbdCodec.decodeOptionHeader(headerBuf.flip());
      if (h.length() > limits.maxOptionLength()) {
        optionReply(h.option(), Nbd.REP_ERR_TOO_BIG, "option too long");
        throw new NbdProtocolException(
            peer + ": " + Nbd.optionName(h.option()) + " of " + h.length() + " bytes is too long");
      }
      ByteBuffer payload = Channels.read(ch, (int) h.length(), "option data");
      switch (h.option()) {
        case Nbd.OPT_EXPORT_NAME -> {
          exportName(payload);
          return true;
        }
        case Nbd.OPT_ABORT -> {
          try {
            optionReply(h.option(), Nbd.REP_ACK, null);
          } catch (IOException e) {
            // The client may already be gone; it asked to end anyway.
          }
          return false;
        }
        case Nbd.OPT_LIST -> list(payload);
        case Nbd.OPT_INFO, Nbd.OPT_GO -> {
          if (infoOrGo(h.option(), payload)) {
            return true;
          }
        }
        case Nbd.OPT_STRUCTURED_REPLY -> {
          if (payload.hasRemaining()) {
            optionReply(h.option(), Nbd.REP_ERR_INVALID, "NBD_OPT_STRUCTURED_REPLY takes no data");
          } else {
            structured = true;
            optionReply(h.option(), Nbd.REP_ACK, null);
          }
        }
        case Nbd.OPT_LIST_META_CONTEXT, Nbd.OPT_SET_META_CONTEXT ->
            metaContext(h.option(), payload);
        case Nbd.OPT_STARTTLS -> optionReply(h.option(), Nbd.REP_ERR_UNSUP, "TLS is not supported");
        default ->
            optionReply(
                h.option(), Nbd.REP_ERR_UNSUP, Nbd.optionName(h.option()) + " is not supported");
      }
    }
  }

  private void exportName(ByteBuffer payload) throws IOException {
    String name;
    try {
      name = NbdCodec.decodeExportName(payload);
    } catch (NbdProtocolException e) {
      throw new NbdProtocolException(peer + ": NBD_OPT_EXPORT_NAME: " + e.getMessage(), e);
    }
    NbdExport e = lookup(name);
    if (e == null) {
      // The protocol has no error reply for this option: closing is the only answer.
      throw new NbdProtocolException(peer + ": no export named '" + name + "'");
    }
    select(e);
    ByteBuffer b = ByteBuffer.allocate(noZeroes ? 10 : 134);
    b.putLong(size).putShort((short) transmissionFlags(e));
    Channels.writeFully(ch, b.clear());
  }

  private void list(ByteBuffer payload) throws IOException {
    if (payload.hasRemaining()) {
      optionReply(Nbd.OPT_LIST, Nbd.REP_ERR_INVALID, "NBD_OPT_LIST takes no data");
      return;
    }
    for (NbdExport e : exports.values()) {
      optionReply(
          Nbd.OPT_LIST, Nbd.REP_SERVER, NbdCodec.encodeServerEntry(e.name(), e.description()));
    }
    optionReply(Nbd.OPT_LIST, Nbd.REP_ACK, null);
  }

  private boolean infoOrGo(int option, ByteBuffer payload) throws IOException {
    ExportRequest r;
    try {
      r = NbdCodec.decodeExportRequest(payload);
    } catch (NbdProtocolException e) {
      optionReply(option, Nbd.REP_ERR_INVALID, e.getMessage());
      return false;
    }
    NbdExport e = lookup(r.exportName());
    if (e == null) {
      optionReply(option, Nbd.REP_ERR_UNKNOWN, "no export named '" + r.exportName() + "'");
      return false;
    }
    long exportSize;
    try {
      exportSize = e.image().size();
    } catch (IOException io) {
      optionReply(option, Nbd.REP_ERR_PLATFORM, "cannot size the export: " + io.getMessage());
      return false;
    }
    optionReply(
        option,
        Nbd.REP_INFO,
        NbdCodec.encodeInfo(new InfoReply.ExportInfo(exportSize, transmissionFlags(e))));
    for (int info : r.infoRequests()) {
      switch (info) {
        case Nbd.INFO_BLOCK_SIZE ->
            optionReply(
                option,
                Nbd.REP_INFO,
                NbdCodec.encodeInfo(
                    new InfoReply.BlockSizeInfo(1, PREFERRED_BLOCK, limits.maxPayload())));
        case Nbd.INFO_NAME ->
            optionReply(
                option, Nbd.REP_INFO, NbdCodec.encodeInfo(new InfoReply.NameInfo(e.name())));
        case Nbd.INFO_DESCRIPTION ->
            optionReply(
                option,
                Nbd.REP_INFO,
                NbdCodec.encodeInfo(new InfoReply.DescriptionInfo(e.description())));
        default -> {}
      }
    }
    optionReply(option, Nbd.REP_ACK, null);
    if (option == Nbd.OPT_GO) {
      if (metaContextExport != null && !metaContextExport.equals(e.name())) {
        baseAllocation = false; // contexts were chosen for another export
      }
      select(e);
      return true;
    }
    return false;
  }

  private void metaContext(int option, ByteBuffer payload) throws IOException {
    MetaContextQuery q;
    try {
      q = NbdCodec.decodeMetaContextQuery(payload);
    } catch (NbdProtocolException e) {
      optionReply(option, Nbd.REP_ERR_INVALID, e.getMessage());
      return;
    }
    if (!structured) {
      optionReply(option, Nbd.REP_ERR_INVALID, "meta contexts need structured replies first");
      return;
    }
    NbdExport e = lookup(q.exportName());
    if (e == null) {
      optionReply(option, Nbd.REP_ERR_UNKNOWN, "no export named '" + q.exportName() + "'");
      return;
    }
    boolean set = option == Nbd.OPT_SET_META_CONTEXT;
    boolean match = false;
    for (String query : q.queries()) {
      match |= query.equals(Nbd.BASE_ALLOCATION) || (!set && query.equals("base:"));
    }
    if (!set && q.queries().isEmpty()) {
      match = true;
    }
    if (match) {
      optionReply(
          option,
          Nbd.REP_META_CONTEXT,
          NbdCodec.encodeMetaContext(new MetaContext(BASE_ALLOCATION_ID, Nbd.BASE_ALLOCATION)));
    }
    if (set) {
      baseAllocation = match;
      metaContextExport = e.name();
    }
    optionReply(option, Nbd.REP_ACK, null);
  }

  private NbdExport lookup(String name) {
    NbdExport e = exports.get(name);
    if (e == null && name.isEmpty() && exports.size() == 1) {
      e = exports.values().iterator().next(); // the default export
    }
    return e;
  }

  private void select(NbdExport e) throws IOException {
    export = e;
    size = e.image().size();
  }

  private int transmissionFlags(NbdExport e) {
    int flags =
        Nbd.FLAG_HAS_FLAGS | Nbd.FLAG_SEND_FLUSH | Nbd.FLAG_SEND_DF | Nbd.FLAG_CAN_MULTI_CONN;
    if (e.readOnly()) {
      flags |= Nbd.FLAG_READ_ONLY;
    } else {
      flags |= Nbd.FLAG_SEND_FUA | Nbd.FLAG_SEND_TRIM | Nbd.FLAG_SEND_WRITE_ZEROES;
    }
    return flags;
  }

  private void optionReply(int option, int type, Object payload) throws IOException {
    ByteBuffer data =
        switch (payload) {
          case null -> ByteBuffer.allocate(0);
          case ByteBuffer b -> b;
          case String s ->
              ByteBuffer.wrap(NbdCodec.utf8(s.length() > 1000 ? s.substring(0, 1000) : s));
          default -> throw new IllegalArgumentException(payload.toString());
        };
    Channels.writeFully(ch, NbdCodec.encodeOptionReply(option, type, data));
  }
}
