package dev.intact.cli.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a command works on: a FILE argument as given (whatever it is: the per-file check
 * reports a link or fifo), a DIR argument's regular files, recursively, in name order, never
 * following links. The command's own files (a manifest, a state file) are left out.
 */
final class Targets {
  private Targets() {}

  static List<Path> expand(List<Path> args, Set<Path> exclude) throws IOException {
    Set<Path> skip = absolute(exclude);
    List<Path> files = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> walk = Files.walk(arg)) {
          walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
              .filter(p -> !skip.contains(p.toAbsolutePath().normalize()))
              .sorted()
              .forEach(files::add);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      } else {
        files.add(arg);
      }
    }
    return files;
  }

  private static Set<Path> absolute(Set<Path> paths) {
    Set<Path> out = new java.util.HashSet<>();
    for (Path p : paths) {
      out.add(p.toAbsolutePath().normalize());
    }
    return out;
  }
}
