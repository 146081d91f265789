package dev.intact.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a job works on, as {@code intact record/verify/scrub} finds them: a FILE argument as
 * given, a DIR argument's regular files, recursively, in name order, never following links.
 */
final class Inputs {
  private Inputs() {}

  static List<String> expand(List<String> args) throws IOException {
    List<String> files = new ArrayList<>();
    for (String arg : args) {
      Path path = Path.of(arg);
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
    return files;
  }
}
