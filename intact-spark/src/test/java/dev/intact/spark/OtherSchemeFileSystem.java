package dev.intact.spark;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local filesystem under a scheme of its own ({@code intacttest:///tmp/x} is {@code /tmp/x}): a
 * Hadoop filesystem that is not {@code file:}, so the job must read it through Hadoop's {@code
 * FileSystem} API as it would {@code hdfs://} or {@code s3a://}, while the CLI reads the same bytes
 * by their local path.
 */
public final class OtherSchemeFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "intacttest";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  // RawLocalFileSystem's statuses load their permissions lazily through java.io.File(URI), which
  // takes only file: URIs; listing (LocatedFileStatus) asks for them. These statuses carry them.
  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return plain(super.getFileStatus(f));
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    return Arrays.stream(super.listStatus(f))
        .map(OtherSchemeFileSystem::plain)
        .toArray(FileStatus[]::new);
  }

  private static FileStatus plain(FileStatus s) {
    return new FileStatus(
        s.getLen(),
        s.isDirectory(),
        s.getReplication(),
        s.getBlockSize(),
        s.getModificationTime(),
        s.getAccessTime(),
        s.isDirectory() ? FsPermission.getDirDefault() : FsPermission.getFileDefault(),
        "",
        "",
        s.getPath());
  }

  static String uri(java.nio.file.Path local) {
    return SCHEME + "://" + local.toAbsolutePath();
  }
}
