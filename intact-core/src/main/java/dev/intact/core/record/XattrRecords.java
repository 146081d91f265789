package dev.intact.core.record;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.posix.Xattrs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records in extended attributes: {@code user.XrdCks.<name>} for the types XRootD knows ({@link
 * XrootdNames}), so XRootD servers and {@code xrdadler32} read what Intact wrote and the other way
 * round; {@code user.intact.cks.<type>} ({@link IntactRecord}) for the others.
 */
public final class XattrRecords implements RecordStore {
  /** Where a failed verification is written, as CTA writes {@code sys.archive.error}. */
  public static final String ERROR_ATTRIBUTE = "user.intact.error";

  @Override
  public FileRecords read(Path file) throws IOException {
    return read(new Xattrs.OnPath(file));
  }

  /** The records of the file at {@code target} (a path or an open descriptor). */
  public FileRecords read(Xattrs.Target target) throws IOException {
    List<StoredRecord> records = new ArrayList<>();
    List<MalformedRecordException> malformed = new ArrayList<>();
    for (String name : Xattrs.list(target)) {
      boolean xrootd = name.startsWith(XrdCksRecord.ATTRIBUTE_PREFIX);
      boolean intact = name.startsWith(IntactRecord.ATTRIBUTE_PREFIX);
      if (!xrootd && !intact) {
        continue;
      }
      if (name.indexOf('\uFFFD') >= 0) {
        malformed.add(new MalformedRecordException(name, "attribute name is not valid UTF-8"));
        continue;
      }
      Optional<byte[]> raw = Xattrs.get(target, name);
      if (raw.isEmpty()) {
        continue; // removed since it was listed
      }
      try {
        if (xrootd) {
          xrootdRecord(name, raw.get()).ifPresent(records::add);
        } else {
          records.add(intactRecord(name, raw.get()));
        }
      } catch (MalformedRecordException e) {
        malformed.add(e);
      }
    }
    if (records.isEmpty() && malformed.isEmpty()) {
      // A file system without user attributes lists none; say so rather than "no record".
      Xattrs.get(target, ERROR_ATTRIBUTE);
    }
    return new FileRecords(records, malformed);
  }

  /** An XRootD record as Intact sees it; empty for XRootD types Intact does not compute. */
  private static Optional<StoredRecord> xrootdRecord(String attribute, byte[] raw)
      throws MalformedRecordException {
    String xrootdName = attribute.substring(XrdCksRecord.ATTRIBUTE_PREFIX.length());
    var type = XrootdNames.intactType(xrootdName);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    XrdCksRecord r = XrdCksRecord.decode(xrootdName, raw);
    if (r.value().length() != type.get().digestLength()) {
      throw new MalformedRecordException(
          attribute,
          "XRootD record value is "
              + r.value().length()
              + " bytes, "
              + xrootdName
              + " has "
              + type.get().digestLength());
    }
    return Optional.of(
        new StoredRecord(
            type.get(),
            XrootdNames.fromXrootd(xrootdName, r.value()),
            StoredRecord.Origin.XROOTD,
            attribute,
            -1,
            r.fmTime(),
            -1));
  }

  private static StoredRecord intactRecord(String attribute, byte[] raw)
      throws MalformedRecordException {
    IntactRecord r = IntactRecord.decode(attribute, raw);
    return new StoredRecord(
        r.type(),
        r.value(),
        StoredRecord.Origin.INTACT,
        attribute,
        r.size(),
        r.mtimeSeconds(),
        r.mtimeNanos());
  }

  @Override
  public void write(Path file, FileStamp stamp, List<Checksum> values, long computedAt)
      throws IOException {
    write(new Xattrs.OnPath(file), stamp, values, computedAt);
  }

  /** Writes the records on {@code target} (a path or an open descriptor). */
  public void write(Xattrs.Target target, FileStamp stamp, List<Checksum> values, long computedAt)
      throws IOException {
    for (Checksum c : values) {
      Optional<String> xrootdName = XrootdNames.xrootdName(c.type());
      if (xrootdName.isPresent()) {
        // csTime is "computation time minus mtime" in a signed 32-bit field, as XRootD writes it.
        long delta = computedAt - stamp.mtimeSeconds();
        int csTime = Math.clamp(delta, Integer.MIN_VALUE, Integer.MAX_VALUE);
        XrdCksRecord r =
            new XrdCksRecord(
                xrootdName.get(),
                stamp.mtimeSeconds(),
                csTime,
                XrootdNames.toXrootd(xrootdName.get(), c.value()));
        Xattrs.set(target, r.attributeName(), r.encode());
      } else {
        IntactRecord r =
            new IntactRecord(
                c.type(),
                c.value(),
                stamp.size(),
                stamp.mtimeSeconds(),
                stamp.mtimeNanos(),
                computedAt);
        Xattrs.set(target, r.attributeName(), r.encode());
      }
    }
  }

  @Override
  public void recordError(Path file, String text) throws IOException {
    Xattrs.set(new Xattrs.OnPath(file), ERROR_ATTRIBUTE, text.getBytes(StandardCharsets.UTF_8));
  }
}
