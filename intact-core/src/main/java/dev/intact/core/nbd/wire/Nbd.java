package dev.intact.core.nbd.wire;

/** Numbers fixed by the protocol: magics, flags, option and reply codes. */
public final class Nbd {
  private Nbd() {}

  public static final long NBDMAGIC = 0x4e42444d41474943L; // "NBDMAGIC"
  public static final long IHAVEOPT = 0x49484156454F5054L; // "IHAVEOPT"
  public static final long OPTION_REPLY_MAGIC = 0x0003e889045565a9L;
  public static final int REQUEST_MAGIC = 0x25609513;
  public static final int SIMPLE_REPLY_MAGIC = 0x67446698;
  public static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;

  // Handshake flags (server) and client flags.
  public static final int FLAG_FIXED_NEWSTYLE = 1;
  public static final int FLAG_NO_ZEROES = 1 << 1;
  public static final int FLAG_C_FIXED_NEWSTYLE = 1;
  public static final int FLAG_C_NO_ZEROES = 1 << 1;

  // Transmission flags.
  public static final int FLAG_HAS_FLAGS = 1;
  public static final int FLAG_READ_ONLY = 1 << 1;
  public static final int FLAG_SEND_FLUSH = 1 << 2;
  public static final int FLAG_SEND_FUA = 1 << 3;
  public static final int FLAG_ROTATIONAL = 1 << 4;
  public static final int FLAG_SEND_TRIM = 1 << 5;
  public static final int FLAG_SEND_WRITE_ZEROES = 1 << 6;
  public static final int FLAG_SEND_DF = 1 << 7;
  public static final int FLAG_CAN_MULTI_CONN = 1 << 8;

  // Options.
  public static final int OPT_EXPORT_NAME = 1;
  public static final int OPT_ABORT = 2;
  public static final int OPT_LIST = 3;
  public static final int OPT_STARTTLS = 5;
  public static final int OPT_INFO = 6;
  public static final int OPT_GO = 7;
  public static final int OPT_STRUCTURED_REPLY = 8;
  public static final int OPT_LIST_META_CONTEXT = 9;
  public static final int OPT_SET_META_CONTEXT = 10;

  // Option reply types; errors have bit 31 set.
  public static final int REP_ACK = 1;
  public static final int REP_SERVER = 2;
  public static final int REP_INFO = 3;
  public static final int REP_META_CONTEXT = 4;
  public static final int REP_FLAG_ERROR = 1 << 31;
  public static final int REP_ERR_UNSUP = REP_FLAG_ERROR | 1;
  public static final int REP_ERR_POLICY = REP_FLAG_ERROR | 2;
  public static final int REP_ERR_INVALID = REP_FLAG_ERROR | 3;
  public static final int REP_ERR_PLATFORM = REP_FLAG_ERROR | 4;
  public static final int REP_ERR_TLS_REQD = REP_FLAG_ERROR | 5;
  public static final int REP_ERR_UNKNOWN = REP_FLAG_ERROR | 6;
  public static final int REP_ERR_SHUTDOWN = REP_FLAG_ERROR | 7;
  public static final int REP_ERR_BLOCK_SIZE_REQD = REP_FLAG_ERROR | 8;
  public static final int REP_ERR_TOO_BIG = REP_FLAG_ERROR | 9;

  // NBD_INFO types.
  public static final int INFO_EXPORT = 0;
  public static final int INFO_NAME = 1;
  public static final int INFO_DESCRIPTION = 2;
  public static final int INFO_BLOCK_SIZE = 3;

  // Command flags.
  public static final int CMD_FLAG_FUA = 1;
  public static final int CMD_FLAG_NO_HOLE = 1 << 1;
  public static final int CMD_FLAG_DF = 1 << 2;
  public static final int CMD_FLAG_REQ_ONE = 1 << 3;
  public static final int CMD_FLAG_FAST_ZERO = 1 << 4;

  // Structured reply chunks.
  public static final int REPLY_FLAG_DONE = 1;
  public static final int REPLY_TYPE_NONE = 0;
  public static final int REPLY_TYPE_OFFSET_DATA = 1;
  public static final int REPLY_TYPE_OFFSET_HOLE = 2;
  public static final int REPLY_TYPE_BLOCK_STATUS = 5;
  public static final int REPLY_TYPE_ERROR = (1 << 15) | 1;
  public static final int REPLY_TYPE_ERROR_OFFSET = (1 << 15) | 2;

  // base:allocation descriptor flags.
  public static final int STATE_HOLE = 1;
  public static final int STATE_ZERO = 1 << 1;

  public static final String BASE_ALLOCATION = "base:allocation";
  public static final String QEMU_ALLOCATION_DEPTH = "qemu:allocation-depth";

  /** Longest string (export name, message) the protocol allows. */
  public static final int MAX_STRING = 4096;

  /** Name of an option code for messages. */
  public static String optionName(int option) {
    return switch (option) {
      case OPT_EXPORT_NAME -> "NBD_OPT_EXPORT_NAME";
      case OPT_ABORT -> "NBD_OPT_ABORT";
      case OPT_LIST -> "NBD_OPT_LIST";
      case OPT_STARTTLS -> "NBD_OPT_STARTTLS";
      case OPT_INFO -> "NBD_OPT_INFO";
      case OPT_GO -> "NBD_OPT_GO";
      case OPT_STRUCTURED_REPLY -> "NBD_OPT_STRUCTURED_REPLY";
      case OPT_LIST_META_CONTEXT -> "NBD_OPT_LIST_META_CONTEXT";
      case OPT_SET_META_CONTEXT -> "NBD_OPT_SET_META_CONTEXT";
      default -> "option " + Integer.toUnsignedString(option);
    };
  }

  /** Name of an option reply type for messages. */
  public static String replyName(int type) {
    return switch (type) {
      case REP_ACK -> "NBD_REP_ACK";
      case REP_SERVER -> "NBD_REP_SERVER";
      case REP_INFO -> "NBD_REP_INFO";
      case REP_META_CONTEXT -> "NBD_REP_META_CONTEXT";
      case REP_ERR_UNSUP -> "NBD_REP_ERR_UNSUP";
      case REP_ERR_POLICY -> "NBD_REP_ERR_POLICY";
      case REP_ERR_INVALID -> "NBD_REP_ERR_INVALID";
      case REP_ERR_PLATFORM -> "NBD_REP_ERR_PLATFORM";
      case REP_ERR_TLS_REQD -> "NBD_REP_ERR_TLS_REQD";
      case REP_ERR_UNKNOWN -> "NBD_REP_ERR_UNKNOWN";
      case REP_ERR_SHUTDOWN -> "NBD_REP_ERR_SHUTDOWN";
      case REP_ERR_BLOCK_SIZE_REQD -> "NBD_REP_ERR_BLOCK_SIZE_REQD";
      case REP_ERR_TOO_BIG -> "NBD_REP_ERR_TOO_BIG";
      default -> "reply type 0x" + Integer.toHexString(type);
    };
  }
}
