package dev.intact.cli;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code intact sum -c}: verifies the files a sum file lists, with the output, warnings and exit
 * status of coreutils {@code sha256sum -c} (including {@code --quiet}, {@code --status}, {@code
 * --strict} and {@code --ignore-missing}). Unlike coreutils it also says on stderr why each
 * improperly formatted line was refused, unless {@code --status}.
 */
final class Checker {

  /** What the check options ask for. */
  record Options(boolean quiet, boolean status, boolean strict, boolean ignoreMissing) {}

  private final Summing summing;
  private final ChecksumType defaultType;
  private final Options options;
  private final InputStream stdin;
  private final PrintWriter out;
  private final PrintWriter err;

  Checker(
      Summing summing,
      ChecksumType defaultType,
      Options options,
      InputStream stdin,
      PrintWriter out,
      PrintWriter err) {
    this.summing = summing;
    this.defaultType = defaultType;
    this.options = options;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  /** Checks one sum file; true when everything listed verified. */
  boolean check(String sumFile) {
    boolean readingStdin = sumFile.equals("-");
    byte[] content;
    try {
      content = readingStdin ? stdin.readAllBytes() : Files.readAllBytes(Path.of(sumFile));
    } catch (IOException e) {
      err.println("intact: " + sumFile + ": " + Messages.reason(e));
      return false;
    }
    CheckLineParser parser = new CheckLineParser(defaultType, readingStdin);
    long properlyFormatted = 0;
    long misformatted = 0;
    long unreadable = 0;
    long mismatched = 0;
    long matched = 0;
    int lineNumber = 0;
    for (int start = 0; start < content.length; ) {
      int nl = indexOf(content, (byte) '\n', start);
      int end = nl < 0 ? content.length : nl;
      String line = new String(content, start, end - start, StandardCharsets.UTF_8);
      start = end + 1;
      lineNumber++;
      Optional<CheckEntry> parsed;
      try {
        parsed = parser.parse(line);
      } catch (MalformedLineException e) {
        misformatted++;
        if (!options.status()) {
          err.println(
              "intact: "
                  + sumFile
                  + ": "
                  + lineNumber
                  + ": improperly formatted checksum line: "
                  + e.getMessage());
        }
        continue;
      }
      if (parsed.isEmpty()) {
        continue;
      }
      properlyFormatted++;
      CheckEntry entry = parsed.get();
      Checksum actual;
      try {
        actual = summing.sum(entry.file(), entry.type(), entry.range()).checksum();
      } catch (IOException e) {
        if (options.ignoreMissing() && Messages.isMissing(e)) {
          continue;
        }
        unreadable++;
        reportUnreadable(entry.file(), e);
        continue;
      } catch (IllegalArgumentException e) {
        unreadable++;
        reportUnreadable(entry.file(), e);
        continue;
      }
      boolean ok = actual.value().equals(entry.expected());
      if (ok) {
        matched++;
      } else {
        mismatched++;
      }
      if (!options.status() && (!ok || !options.quiet())) {
        out.println(displayName(entry.file()) + ": " + (ok ? "OK" : "FAILED"));
      }
    }
    out.flush();
    if (properlyFormatted == 0) {
      err.println("intact: " + sumFile + ": no properly formatted checksum lines found");
      return false;
    }
    if (!options.status()) {
      if (misformatted > 0) {
        err.println(
            "intact: WARNING: "
                + Messages.count(misformatted, "line is", "lines are")
                + " improperly formatted");
      }
      if (unreadable > 0) {
        err.println(
            "intact: WARNING: "
                + Messages.count(unreadable, "listed file", "listed files")
                + " could not be read");
      }
      if (mismatched > 0) {
        err.println(
            "intact: WARNING: "
                + Messages.count(mismatched, "computed checksum", "computed checksums")
                + " did NOT match");
      }
      if (options.ignoreMissing() && matched == 0) {
        err.println("intact: " + sumFile + ": no file was verified");
      }
    }
    return mismatched == 0
        && unreadable == 0
        && (!options.strict() || misformatted == 0)
        && (!options.ignoreMissing() || matched > 0);
  }

  private void reportUnreadable(String file, Exception e) {
    err.println("intact: " + Messages.failure(file, e));
    if (!options.status()) {
      out.println(displayName(file) + ": FAILED open or read");
    }
  }

  /** As coreutils: check lines escape a name only when it would break the line. */
  private static String displayName(String file) {
    boolean breaksLine = file.indexOf('\n') >= 0 || file.indexOf('\r') >= 0;
    return breaksLine ? "\\" + FileNames.escape(file) : file;
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
