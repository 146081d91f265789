package dev.intact.core.nbd.server;

import dev.intact.core.image.Extent;
import dev.intact.core.nbd.server.NbdHandshake.Negotiated;
import dev.intact.core.nbd.transport.Channels;
import dev.intact.core.nbd.wire.BlockDescriptor;
import dev.intact.core.nbd.wire.BlockStatusChunk;
import dev.intact.core.nbd.wire.Command;
import dev.intact.core.nbd.wire.ErrorChunk;
import dev.intact.core.nbd.wire.HoleChunk;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.NbdErrno;
import dev.intact.core.nbd.wire.ReplyHeader;
import dev.intact.core.nbd.wire.Request;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How one request of the transmission phase is answered, whichever thread answers it: its flags,
 * range and the export's mode checked, the command done on the export, and one whole reply sent
 * (simple or structured, as negotiated). An I/O error of the export becomes an {@code EIO} reply to
 * that request alone; only the channel's own failure ends the session.
 */
final class NbdAnswers {
  private static final int MAX_DESCRIPTORS = 1024;

  private final ByteChannel ch;
  private final ServerLimits limits;
  private final NbdExport export;
  private final long size;
  private final boolean structured;
  private final boolean baseAllocation;

  /** Replies from the writer threads and from the session's thread go out one whole at a time. */
  private final ReentrantLock replies = new ReentrantLock();

  /**
   * The chunk header and offset of a data reply, in native memory like the data it precedes: the
   * socket would copy two heap buffers per read reply into temporary native ones.
   */
  private final ByteBuffer dataHead = ByteBuffer.allocateDirect(ReplyHeader.Chunk.SIZE + 8);

  private ByteBuffer direct;

  NbdAnswers(ByteChannel ch, ServerLimits limits, Negotiated negotiated) {
    this.ch = ch;
    this.limits = limits;
    this.export = negotiated.export();
    this.size = negotiated.size();
    this.structured = negotiated.structured();
    this.baseAllocation = negotiated.baseAllocation();
  }

  void answer(Request r, byte[] payload) throws IOException {
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
        NbdCodec.encodeBlockStatus(
            new BlockStatusChunk(NbdHandshake.BASE_ALLOCATION_ID, descriptors));
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

  void error(Request r, NbdErrno errno, String message) throws IOException {
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
}
