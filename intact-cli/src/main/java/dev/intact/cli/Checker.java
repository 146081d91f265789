package dev.intact.cli;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * {@code intact sum -c}: verifies the files a sum file lists, with the output, warnings and exit
 * status of coreutils {@code sha256sum -c} (including {@code --quiet}, {@code --status}, {@code
 * --strict} and {@code --ignore-missing}). Unlike coreutils it also says on stderr why each
 * improperly formatted line was refused, unless {@code --status}.
 */
final class Checker {
  /**
   * The longest sum-file line read: a file name is at most 4,096 bytes (PATH_MAX), 24 KiB as JSON
   * escapes; a longer line is improperly formatted, never read into memory.
   */
  static final int MAX_LINE = 64 * 1024;

  /** What the check options ask for. */
  record Options(boolean quiet, boolean status, boolean strict, boolean ignoreMissing) {}

  private final Summing summing;

  /** The type of untagged lines from -a, or null to take it from the file's name or default. */
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
    InputStream in;
    try {
      in = readingStdin ? stdin : Files.newInputStream(FileNames.toPath(sumFile));
    } catch (IOException e) {
      err.println("intact: " + Messages.failure(sumFile, e));
      return false;
    } catch (IllegalArgumentException e) {
      err.println("intact: " + sumFile + ": " + e.getMessage());
      return false;
    }
    Optional<ChecksumType> named =
        readingStdin ? Optional.empty() : SumFileNames.algorithm(sumFile);
    ChecksumType untaggedType =
        defaultType != null ? defaultType : named.orElse(ChecksumType.DEFAULT);
    Tally tally = new Tally(defaultType == null && named.isEmpty());
    SumFileLines lines = new SumFileLines(in, MAX_LINE);
    try {
      checkLines(sumFile, lines, new CheckLineParser(untaggedType, readingStdin), tally);
    } catch (IOException e) {
      out.flush();
      err.println("intact: " + sumFile + ": " + Messages.reason(e));
      return false;
    } finally {
      if (!readingStdin) {
        closeQuietly(lines);
      }
    }
    out.flush();
    return report(sumFile, untaggedType, tally);
  }

  /** What one sum file's lines came to. */
  private static final class Tally {
    final boolean defaultGuessed;
    long properlyFormatted;
    long misformatted;
    long unreadable;
    long mismatched;
    long matched;

    /** Untagged lines that failed: their digest lengths in hex digits, for the hint. */
    final java.util.SortedSet<Integer> failedUntaggedHexLengths = new java.util.TreeSet<>();

    Tally(boolean defaultGuessed) {
      this.defaultGuessed = defaultGuessed;
    }
  }

  private void checkLines(String sumFile, SumFileLines lines, CheckLineParser parser, Tally tally)
      throws IOException {
    while (lines.next()) {
      if (lines.tooLong()) {
        tally.misformatted++;
        misformatted(
            sumFile, lines.number(), "longer than " + lines.maxLength() + " bytes (not read)");
        continue;
      }
      String line = lines.text();
      Optional<CheckEntry> parsed;
      try {
        parsed = parser.parse(line);
      } catch (MalformedLineException e) {
        tally.misformatted++;
        int hex = leadingHexDigits(line);
        if (hex > 0) {
          tally.failedUntaggedHexLengths.add(hex);
        }
        misformatted(sumFile, lines.number(), e.getMessage());
        continue;
      }
      if (parsed.isEmpty()) {
        continue;
      }
      tally.properlyFormatted++;
      verify(parsed.get(), tally);
    }
  }

  private void verify(CheckEntry entry, Tally tally) {
    Checksum actual;
    try {
      actual = summing.sum(entry.file(), entry.type(), entry.range()).checksum();
    } catch (IOException e) {
      if (!(options.ignoreMissing() && Messages.isMissing(e))) {
        tally.unreadable++;
        reportUnreadable(entry.file(), e);
      }
      return;
    } catch (IllegalArgumentException e) {
      tally.unreadable++;
      reportUnreadable(entry.file(), e);
      return;
    }
    boolean ok = actual.value().equals(entry.expected());
    if (ok) {
      tally.matched++;
    } else {
      tally.mismatched++;
      if (entry.untagged()) {
        tally.failedUntaggedHexLengths.add(2 * entry.type().digestLength());
      }
    }
    if (!options.status() && (!ok || !options.quiet())) {
      out.println(displayName(entry.file()) + ": " + (ok ? "OK" : "FAILED"));
    }
  }

  private void misformatted(String sumFile, long lineNumber, String why) {
    if (!options.status()) {
      err.println(
          "intact: "
              + sumFile
              + ": "
              + lineNumber
              + ": improperly formatted checksum line: "
              + why);
    }
  }

  private boolean report(String sumFile, ChecksumType untaggedType, Tally t) {
    if (t.properlyFormatted == 0) {
      err.println("intact: " + sumFile + ": no properly formatted checksum lines found");
      hint(untaggedType, t);
      return false;
    }
    if (!options.status()) {
      if (t.misformatted > 0) {
        err.println(
            "intact: WARNING: "
                + Messages.count(t.misformatted, "line is", "lines are")
                + " improperly formatted");
      }
      if (t.unreadable > 0) {
        err.println(
            "intact: WARNING: "
                + Messages.count(t.unreadable, "listed file", "listed files")
                + " could not be read");
      }
      if (t.mismatched > 0) {
        err.println(
            "intact: WARNING: "
                + Messages.count(t.mismatched, "computed checksum", "computed checksums")
                + " did NOT match");
      }
      if (options.ignoreMissing() && t.matched == 0) {
        err.println("intact: " + sumFile + ": no file was verified");
      }
      hint(untaggedType, t);
    }
    return t.mismatched == 0
        && t.unreadable == 0
        && (!options.strict() || t.misformatted == 0)
        && (!options.ignoreMissing() || t.matched > 0);
  }

  /**
   * When untagged lines failed under the default that no {@code -a} and no file name chose, names
   * the algorithms whose digest length fits theirs: a {@code SHA256SUMS} renamed, or {@code
   * sha256sum} output piped in, fails every line as blkhash otherwise with no clue why.
   */
  private void hint(ChecksumType untaggedType, Tally t) {
    if (!t.defaultGuessed || t.failedUntaggedHexLengths.isEmpty() || options.status()) {
      return;
    }
    for (int hexDigits : t.failedUntaggedHexLengths) {
      List<String> fits = AlgorithmHints.byDigestLength(hexDigits / 2);
      if (hexDigits % 2 != 0 || fits.isEmpty()) {
        continue;
      }
      err.println(
          "intact: hint: untagged lines were checked as "
              + untaggedType.name()
              + " (the default: no -a, and the sum file's name names no algorithm); "
              + hexDigits
              + " hex digits also fit "
              + String.join(", ", fits)
              + ": try -a "
              + fits.getFirst());
    }
  }

  /** The number of hex digits a line starts with, when a blank follows them; else 0. */
  private static int leadingHexDigits(String line) {
    int i = line.startsWith("\\") ? 1 : 0;
    int start = i;
    while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0) {
      i++;
    }
    boolean blankFollows = i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t');
    return blankFollows ? i - start : 0;
  }

  private static void closeQuietly(SumFileLines lines) {
    try {
      lines.close();
    } catch (IOException e) {
      // read to the end already; nothing was written through it
    }
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
}
