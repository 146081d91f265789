package dev.intact.core.nbd.server;

import dev.intact.core.image.Extent;
import dev.intact.core.nbd.transport.Channels;
import dev.intact.core.nbd.transport.Watchdog;
import dev.intact.core.nbd.wire.BlockDescriptor;
import dev.intact.core.nbd.wire.BlockStatusChunk;
import dev.intact.core.nbd.wire.Command;
import dev.intact.core.nbd.wire.ErrorChunk;
import dev.intact.core.nbd.wire.ExportRequest;
import dev.intact.core.nbd.wire.HoleChunk;
import dev.intact.core.nbd.wire.InfoReply;
import dev.intact.core.nbd.wire.MetaContext;
import dev.intact.core.nbd.wire.MetaContextQuery;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.NbdErrno;
import dev.intact.core.nbd.wire.NbdProtocolException;
import dev.intact.core.nbd.wire.OptionHeader;
import dev.intact.core.nbd.wire.ReplyHeader;
import dev.intact.core.nbd.wire.Request;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server side of one connection, over any byte channel (a socket, or bytes in memory for
 * fuzzing): the handshake, then requests answered in arrival order, except that writes of {@link
 * #SMALLEST_PIPELINED} to {@link #PIPELINED} bytes are handed to {@link #WRITERS} writer threads,
 * so that the next request's data is read from the socket while earlier ones are written (and a
 * volume tags and writes several at once). Every other request waits until the writes before it are
 * answered, so it sees them all, exactly as if requests were answered one at a time; replies may
 * come out of order, as the protocol allows (each names its request). Every field of every client
 * message is checked; a message that cannot be answered within the protocol ends the session with
 * {@link NbdProtocolException}, anything else gets the protocol's error reply.
 */
public final class NbdServerSession {
  /** Meta context id of {@code base:allocation}, the only context served. */
  static final int BASE_ALLOCATION_ID = 1;

  private static final int PREFERRED_BLOCK = 4096;
  private static final int MAX_DESCRIPTORS = 1024;
  private static final int KNOWN_CLIENT_FLAGS = Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES;

  /**
   * Writes in flight per connection, each with its own buffer: two let one request's data arrive
   * while the one before it is written, and a volume overlap the tagging and data writes of both.
   */
  static final int WRITERS = 2;

  /**
   * The largest write handed to a writer thread (the usual clients' largest request), in one of the
   * process's {@link WriteBuffers}; a larger one, or one that finds no buffer free, is answered in
   * turn, in the connection's own buffer.
   */
  static final int PIPELINED = WriteBuffers.SIZE;

  /**
   * The smallest write handed to a writer thread: for small ones (4 KiB random writes) the hand-off
   * costs more than the overlap gains, so they are answered in turn.
   */
  static final int SMALLEST_PIPELINED = 64 << 10;

  private final ByteChannel ch;
  private final Runnable abort;
  private final Map<String, NbdExport> exports;
  private final ServerLimits limits;
  private final String peer;

  private boolean noZeroes;
  private boolean structured;
  private boolean baseAllocation;
  private String metaContextExport;
  private NbdExport export;
  private long size;
  private byte[] buffer = new byte[0];
  private ByteBuffer direct;

  /** One permit per write that may be in flight; all of them: none is. */
  private final Semaphore writeSlots = new Semaphore(WRITERS);

  /** Started at the first pipelined write, ended with the session. */
  private ExecutorService writers;

  /** Replies from the writer threads and from the session's thread go out one whole at a time. */
  private final ReentrantLock replies = new ReentrantLock();

  /** Why a writer thread could not reply (the session ends with it), or null. */
  private volatile IOException replyFailure;

  /**
   * The chunk header and offset of a data reply, in native memory like the data it precedes: the
   * socket would copy two heap buffers per read reply into temporary native ones.
   */
  private final ByteBuffer dataHead = ByteBuffer.allocateDirect(ReplyHeader.Chunk.SIZE + 8);

  /**
   * @param abort closes the channel: called when a deadline passes, so that a blocked read ends
   */
  public NbdServerSession(
      ByteChannel ch, Runnable abort, List<NbdExport> exports, ServerLimits limits, String peer) {
    this.ch = ch;
    this.abort = abort;
    this.exports = new LinkedHashMap<>();
    for (NbdExport e : exports) {
      this.exports.put(e.name(), e);
    }
    this.limits = limits;
    this.peer = peer;
  }

  /**
   * Serves until the client disconnects (returns) or breaks the protocol (throws). The channel is
   * left to the caller to close.
   */
  public void run() throws IOException {
    boolean transmit;
    try (Watchdog.Armed deadline = Watchdog.arm(limits.handshakeTimeout(), abort)) {
      try {
        transmit = handshake();
      } catch (ClosedChannelException e) {
        if (deadline.fired()) {
          throw new NbdProtocolException(
              peer
                  + ": handshake not finished within "
                  + limits.handshakeTimeout().toMillis()
                  + " ms");
        }
        throw e;
      }
    }
    if (transmit) {
      transmission();
    }
  }

  // ---- handshake ----

  /** Returns whether the client entered transmission (false: it aborted or left). */
  private boolean handshake() throws IOException {
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

  // ---- transmission ----

  private void transmission() throws IOException {
    try {
      requests();
    } finally {
      // Every write in flight is answered (or has failed to) before the session ends: the caller
      // closes the channel, and the export may be closed right after.
      drain();
      if (writers != null) {
        writers.shutdown();
      }
    }
    IOException failure = replyFailure;
    if (failure != null) {
      throw failure;
    }
  }

  private void requests() throws IOException {
    ByteBuffer headerBuf = ByteBuffer.allocate(Request.SIZE);
    while (true) {
      headerBuf.clear();
      // Idle between requests is fine: wait for the first bytes, taking all that came with them.
      int n;
      do {
        n = ch.read(headerBuf);
      } while (n == 0);
      if (n < 0 || replyFailure != null) {
        return; // left without NBD_CMD_DISC: allowed, if rude
      }
      Request r = null;
      try {
        if (!headerBuf.hasRemaining()) {
          r = NbdCodec.decodeRequest(headerBuf.flip());
        } else {
          // A request that started arriving must finish in time. One whose header came whole has:
          // it arms no deadline (a timer task per read request, scheduled and cancelled, would wake
          // the timer's thread twice per request).
          try (Watchdog.Armed deadline = Watchdog.arm(limits.messageTimeout(), abort)) {
            try {
              Channels.readFully(ch, headerBuf, "a request header");
            } catch (ClosedChannelException e) {
              throw late(deadline, e);
            }
          }
          r = NbdCodec.decodeRequest(headerBuf.flip());
        }
        if (r.command() == Command.WRITE
            && r.length() >= SMALLEST_PIPELINED
            && r.length() <= pipelined()
            && pipelinedWrite(r)) {
          continue;
        }
        // Anything else sees every write before it answered, as if answered one at a time.
        drain();
        byte[] payload = null;
        if (r.command() == Command.WRITE) {
          try (Watchdog.Armed deadline = Watchdog.arm(limits.messageTimeout(), abort)) {
            try {
              payload = writePayload(r);
            } catch (ClosedChannelException e) {
              throw late(deadline, e);
            }
          }
        }
        if (r.command() == Command.DISC) {
          return;
        }
        answer(r, payload);
      } catch (NbdProtocolException e) {
        throw new NbdProtocolException(peer + ": " + e.getMessage(), e);
      }
    }
  }

  /** What a read that a closed channel ended means: the deadline, or the channel's own end. */
  private IOException late(Watchdog.Armed deadline, ClosedChannelException e) {
    if (deadline.fired()) {
      return new NbdProtocolException(
          "request not received within " + limits.messageTimeout().toMillis() + " ms");
    }
    return e;
  }

  /**
   * Reads a write's data into a free buffer (waiting for one of this connection's writes in flight
   * to end first: waiting on our own writes is not the client's delay, so it is outside the
   * deadline) and hands the write to a writer thread, which answers it and gives the buffer back.
   * False, with nothing read, when the process has no buffer free: the caller answers it in turn.
   */
  private boolean pipelinedWrite(Request r) throws IOException {
    writeSlots.acquireUninterruptibly();
    byte[] b = WriteBuffers.take();
    if (b == null) {
      writeSlots.release();
      return false;
    }
    boolean handedOver = false;
    try {
      try (Watchdog.Armed deadline = Watchdog.arm(limits.messageTimeout(), abort)) {
        try {
          Channels.readFully(ch, ByteBuffer.wrap(b, 0, (int) r.length()), "write data");
        } catch (ClosedChannelException e) {
          throw late(deadline, e);
        }
      }
      if (writers == null) {
        writers =
            Executors.newFixedThreadPool(
                WRITERS, Thread.ofPlatform().daemon().name("nbd-write").factory());
      }
      byte[] payload = b;
      writers.execute(
          () -> {
            try {
              answer(r, payload);
            } catch (IOException e) {
              replyFailure = e;
              abort.run(); // the session's thread may be waiting for the client: end that wait
            } catch (RuntimeException e) {
              replyFailure = new IOException("internal error answering a write", e);
              abort.run();
            } finally {
              WriteBuffers.give(payload);
              writeSlots.release();
            }
          });
      handedOver = true;
      return true;
    } finally {
      if (!handedOver) {
        WriteBuffers.give(b);
        writeSlots.release();
      }
    }
  }

  /** The largest write handed to a writer thread: no larger than any write accepted. */
  private int pipelined() {
    return Math.min(PIPELINED, limits.maxPayload());
  }

  /** Waits until no write is in flight. */
  private void drain() {
    writeSlots.acquireUninterruptibly(WRITERS);
    writeSlots.release(WRITERS);
  }

  /** Reads a write's payload, or ends the session if it is larger than any write we accept. */
  private byte[] writePayload(Request r) throws IOException {
    if (r.length() > limits.maxPayload()) {
      // We cannot skip gigabytes of data to stay in step: reply, then hang up.
      error(
          r,
          NbdErrno.EOVERFLOW,
          "write of " + r.length() + " bytes exceeds the maximum " + limits.maxPayload());
      throw new NbdProtocolException(
          "NBD_CMD_WRITE of " + r.length() + " bytes exceeds the maximum " + limits.maxPayload());
    }
    byte[] b = buffer((int) r.length());
    Channels.readFully(ch, ByteBuffer.wrap(b, 0, (int) r.length()), "write data");
    return b;
  }

  private void answer(Request r, byte[] payload) throws IOException {
    Command cmd = r.command();
    if (cmd == null) {
      error(r, NbdErrno.EINVAL, "unknown command " + r.type());
      return;
    }
    int allowed =
        switch (cmd) {
          case READ -> Nbd.CMD_FLAG_DF | Nbd.CMD_FLAG_FUA;
          case WRITE -> Nbd.CMD_FLAG_FUA;
          case WRITE_ZEROES -> Nbd.CMD_FLAG_FUA | Nbd.CMD_FLAG_NO_HOLE;
          case TRIM -> Nbd.CMD_FLAG_FUA;
          case BLOCK_STATUS -> Nbd.CMD_FLAG_REQ_ONE;
          default -> 0;
        };
    if ((r.flags() & ~allowed) != 0) {
      error(
          r,
          NbdErrno.EINVAL,
          "flags 0x" + Integer.toHexString(r.flags()) + " not valid for " + cmd.protocolName());
      return;
    }
    if (r.offsetOverflows()) {
      error(r, NbdErrno.EINVAL, "offset " + Long.toUnsignedString(r.offset()) + " out of range");
      return;
    }
    if (cmd == Command.READ && r.length() > limits.maxPayload()) {
      error(
          r,
          structured ? NbdErrno.EOVERFLOW : NbdErrno.EINVAL,
          "read of " + r.length() + " bytes exceeds the maximum " + limits.maxPayload());
      return;
    }
    boolean writes = cmd == Command.WRITE || cmd == Command.WRITE_ZEROES || cmd == Command.TRIM;
    if (writes && export.readOnly()) {
      error(r, NbdErrno.EPERM, "export is read-only");
      return;
    }
    if (cmd != Command.FLUSH && r.offset() + r.length() > size) {
      NbdErrno errno = writes && cmd != Command.TRIM ? NbdErrno.ENOSPC : NbdErrno.EINVAL;
      error(
          r,
          errno,
          "range "
              + r.offset()
              + "+"
              + r.length()
              + " is past the end of the export ("
              + size
              + " bytes)");
      return;
    }
    try {
      switch (cmd) {
        case READ -> read(r);
        case WRITE -> {
          export.writes().write(r.offset(), payload, 0, (int) r.length());
          fuaAndOk(r);
        }
        case WRITE_ZEROES -> {
          writeZeroes(r);
          fuaAndOk(r);
        }
        case TRIM -> {
          // Trimmed data may read as anything; zeros (a punched hole) is the cheapest answer.
          if (r.length() > 0) {
            export.writes().zero(r.offset(), r.length());
          }
          fuaAndOk(r);
        }
        case FLUSH -> {
          if (r.offset() != 0 || r.length() != 0) {
            error(r, NbdErrno.EINVAL, "NBD_CMD_FLUSH must have offset and length 0");
            return;
          }
          if (export.writable()) {
            export.writes().flush();
          }
          ok(r);
        }
        case CACHE -> ok(r);
        case BLOCK_STATUS -> blockStatus(r);
        case DISC -> throw new IllegalStateException("handled by the loop");
      }
    } catch (ClosedChannelException e) {
      throw e;
    } catch (IOException e) {
      error(r, NbdErrno.EIO, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private void read(Request r) throws IOException {
    int n = (int) r.length();
    ByteBuffer b = readBuffer(n);
    if (!structured) {
      readInto(r.offset(), b, 0, n);
      ByteBuffer header = ByteBuffer.allocate(ReplyHeader.Simple.SIZE);
      NbdCodec.encodeSimpleReply(new ReplyHeader.Simple(0, r.cookie()), header).flip();
      reply(header, b.slice(0, n));
      return;
    }
    if (n == 0) {
      ok(r);
      return;
    }
    // Gather the chunks first: an I/O error midway must become an error reply, not half a reply.
    record Part(long offset, int length, boolean hole) {}
    List<Part> parts = new ArrayList<>();
    long end = r.offset() + n;
    boolean holes = (r.flags() & Nbd.CMD_FLAG_DF) == 0;
    for (long pos = r.offset(); pos < end; ) {
      Extent x = holes ? export.image().extentAt(pos, end) : new Extent(pos, end - pos, false);
      if (x.start() != pos) {
        throw new IOException(
            "extent map of " + export.image().name() + " answered " + x + " at " + pos);
      }
      int len = (int) Math.min(x.length(), end - pos);
      if (!x.zero() || len < 4096) {
        readInto(pos, b, (int) (pos - r.offset()), len);
      }
      Part p = new Part(pos, len, x.zero() && len >= 4096);
      if (!parts.isEmpty() && !p.hole() && !parts.getLast().hole()) {
        Part last = parts.removeLast(); // merge small zero runs read as data into their neighbour
        p = new Part(last.offset(), last.length() + len, false);
      }
      parts.add(p);
      pos += len;
    }
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      int flags = i == parts.size() - 1 ? Nbd.REPLY_FLAG_DONE : 0;
      if (p.hole()) {
        ByteBuffer hole = NbdCodec.encodeHole(new HoleChunk(p.offset(), p.length()));
        sendChunk(r, flags, Nbd.REPLY_TYPE_OFFSET_HOLE, hole);
      } else {
        ByteBuffer data = b.slice((int) (p.offset() - r.offset()), p.length());
        NbdCodec.encodeChunkHeader(
                new ReplyHeader.Chunk(
                    flags, Nbd.REPLY_TYPE_OFFSET_DATA, r.cookie(), 8L + p.length()),
                dataHead.clear())
            .putLong(p.offset())
            .flip();
        reply(dataHead, data);
      }
    }
  }

  private void writeZeroes(Request r) throws IOException {
    if (r.length() == 0) {
      return;
    }
    if ((r.flags() & Nbd.CMD_FLAG_NO_HOLE) == 0) {
      export.writes().zero(r.offset(), r.length());
    } else {
      export.writes().zeroAllocated(r.offset(), r.length()); // NO_HOLE: the range stays allocated
    }
  }

  private void blockStatus(Request r) throws IOException {
    if (!baseAllocation) {
      error(r, NbdErrno.EINVAL, "no meta context was negotiated");
      return;
    }
    if (r.length() == 0) {
      error(r, NbdErrno.EINVAL, "block status of length 0");
      return;
    }
    boolean one = (r.flags() & Nbd.CMD_FLAG_REQ_ONE) != 0;
    long end = r.offset() + r.length();
    List<BlockDescriptor> descriptors = new ArrayList<>();
    for (long pos = r.offset(); pos < end && descriptors.size() < (one ? 1 : MAX_DESCRIPTORS); ) {
      Extent x = export.image().extentAt(pos, end);
      long len = Math.min(x.length(), end - pos);
      int flags = x.zero() ? Nbd.STATE_HOLE | Nbd.STATE_ZERO : 0;
      if (!descriptors.isEmpty() && descriptors.getLast().flags() == flags) {
        BlockDescriptor last = descriptors.removeLast();
        len += last.length();
      }
      descriptors.add(new BlockDescriptor(len, flags));
      if (x.start() != pos) {
        throw new IOException(
            "extent map of " + export.image().name() + " answered " + x + " at " + pos);
      }
      pos += Math.min(x.length(), end - pos);
    }
    ByteBuffer chunk =
        NbdCodec.encodeBlockStatus(new BlockStatusChunk(BASE_ALLOCATION_ID, descriptors));
    sendChunk(r, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_BLOCK_STATUS, chunk);
  }

  private void fuaAndOk(Request r) throws IOException {
    if ((r.flags() & Nbd.CMD_FLAG_FUA) != 0) {
      export.writes().flush();
    }
    ok(r);
  }

  private void ok(Request r) throws IOException {
    if (structured) {
      sendChunk(r, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_NONE, ByteBuffer.allocate(0));
    } else {
      ByteBuffer b = ByteBuffer.allocate(ReplyHeader.Simple.SIZE);
      reply(NbdCodec.encodeSimpleReply(new ReplyHeader.Simple(0, r.cookie()), b).flip());
    }
  }

  private void error(Request r, NbdErrno errno, String message) throws IOException {
    if (structured) {
      String m = message.length() > 1000 ? message.substring(0, 1000) : message;
      ByteBuffer payload =
          NbdCodec.encodeError(new ErrorChunk(errno.code(), m, OptionalLong.empty()));
      sendChunk(r, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_ERROR, payload);
    } else {
      ByteBuffer b = ByteBuffer.allocate(ReplyHeader.Simple.SIZE);
      reply(NbdCodec.encodeSimpleReply(new ReplyHeader.Simple(errno.code(), r.cookie()), b).flip());
    }
  }

  private void sendChunk(Request r, int flags, int type, ByteBuffer payload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(ReplyHeader.Chunk.SIZE);
    NbdCodec.encodeChunkHeader(
            new ReplyHeader.Chunk(flags, type, r.cookie(), payload.remaining()), header)
        .flip();
    reply(header, payload);
  }

  /** Sends one whole reply message: replies of writes in flight come from their own threads. */
  private void reply(ByteBuffer... message) throws IOException {
    replies.lock();
    try {
      Channels.writeFully(ch, message);
    } finally {
      replies.unlock();
    }
  }

  /**
   * A buffer for read replies, in native memory: the socket sends it without the copy the JDK makes
   * of a heap buffer, and an image that can (a local file) reads straight into it.
   */
  private ByteBuffer readBuffer(int n) {
    if (direct == null || direct.capacity() < n) {
      direct = ByteBuffer.allocateDirect(Math.max(n, Math.min(limits.maxPayload(), 1 << 20)));
    }
    return direct;
  }

  private void readInto(long position, ByteBuffer b, int at, int length) throws IOException {
    export.image().readFully(position, MemorySegment.ofBuffer(b).asSlice(at, length));
  }

  private byte[] buffer(int n) {
    if (buffer.length < n) {
      buffer = new byte[Math.max(n, Math.min(limits.maxPayload(), 1 << 20))];
    }
    return buffer;
  }
}
