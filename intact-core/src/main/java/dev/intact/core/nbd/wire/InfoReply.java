package dev.intact.core.nbd.wire;

/** The payload of an NBD_REP_INFO reply. */
public sealed interface InfoReply {

  /** NBD_INFO_EXPORT: size and transmission flags (the only item a server must send). */
  record ExportInfo(long size, int transmissionFlags) implements InfoReply {}

  /** NBD_INFO_BLOCK_SIZE: minimum, preferred and maximum request sizes. */
  record BlockSizeInfo(int minimum, int preferred, int maximum) implements InfoReply {}

  /** NBD_INFO_NAME: the canonical export name. */
  record NameInfo(String name) implements InfoReply {}

  /** NBD_INFO_DESCRIPTION. */
  record DescriptionInfo(String description) implements InfoReply {}

  /** An item Intact does not know; the protocol tells clients to ignore those. */
  record UnknownInfo(int type) implements InfoReply {}
}
