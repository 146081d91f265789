package dev.intact.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files a job works on, as {@code intact record/verify/scrub} finds them: a FILE argument as
 * given, a DIR argument's regular files, recursively, in name order, never following links. A
 * Hadoop URI ({@code hdfs://nn/dir}) is listed through its filesystem the same way.
 */
final class Inputs {
  private Inputs() {}

  static List<String> expand(List<String> args, Configuration hadoop) throws IOException {
    List<String> files = new ArrayList<>();
    for (String arg : args) {
      if (Locations.isLocal(arg)) {
        expandLocal(arg, files);
      } else {
        expandHadoop(arg, hadoop, files);
      }
    }
    return files;
  }

  private static void expandLocal(String arg, List<String> files) throws IOException {
    Path path = Locations.local(arg);
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(path)) {
        walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
            .sorted()
            .forEach(p -> files.add(p.toString()));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    } else {
      files.add(arg);
    }
  }

  private static void expandHadoop(String arg, Configuration conf, List<String> files)
      throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(arg);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus status;
    try {
      status = fs.getFileStatus(path);
    } catch (java.io.FileNotFoundException e) {
      files.add(arg); // reported by the task that cannot open it, as a missing local file is
      return;
    }
    if (!status.isDirectory()) {
      files.add(arg);
      return;
    }
    List<String> found = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      if (f.isFile()) {
        found.add(f.getPath().toString());
      }
    }
    found.sort(null);
    files.addAll(found);
  }
}
