package dev.intact.cli.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.intact.cli.ByteSize;
import dev.intact.cli.IntactCommand;
import dev.intact.cli.Progress;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.FileVerdict;
import dev.intact.core.record.FileVerdict.Status;
import dev.intact.core.record.RecordVerifier;
import dev.intact.core.record.ScrubState;
import dev.intact.core.record.TypeResult;
import dev.intact.core.record.XattrRecords;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code intact scrub}: verify every record of whole trees, resumably, at a bounded rate. */
@Command(
    name = "scrub",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Walk trees and verify every file against its records (as 'intact verify'), several files at",
      "once, at most --rate bytes per second. With --state FILE the scrub is resumable: killed (even",
      "with kill -9), it starts again where it was; the file is removed when the scrub completes.",
      "Prints problems (FAILED, STALE, BAD RECORD, ERROR) as they are found, a progress bar on a",
      "terminal, and a summary; --json writes a report of every file.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact scrub /archive",
      "  intact scrub --rate 200M --state /var/lib/intact/scrub.state --json report.json /archive",
      "",
      "Exit status: 0 all verified, 1 a mismatch, stale or bad record, or failure, 2 a usage error."
    })
public final class ScrubCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand IntactCommand parent;

  @Option(
      names = "--rate",
      paramLabel = "BYTES",
      description = "Read at most BYTES per second in all (200M, 1G; default: no limit).")
  String rate;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description = "Journal of checked files, to resume an interrupted scrub.")
  Path state;

  @Option(names = "--json", paramLabel = "REPORT", description = "Write a JSON report to REPORT.")
  Path report;

  @Option(
      names = "--require",
      paramLabel = "ALG[,ALG...]",
      description = "Types every file must have a fresh record of.")
  List<String> required = new ArrayList<>();

  @Option(
      names = {"-j", "--threads"},
      paramLabel = "N",
      description = "Files verified at once (default: ${DEFAULT-VALUE}).")
  int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

  @Parameters(paramLabel = "DIR", arity = "1..*", description = "Trees (or files) to scrub.")
  List<Path> roots = new ArrayList<>();

  /** One file's line in the report; {@code resumed} when a previous run checked it. */
  private record Entry(Path file, FileVerdict verdict, String resumedStatus) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long bytesPerSecond;
    Set<ChecksumType> require;
    try {
      bytesPerSecond = rate == null ? 0 : ByteSize.parse(rate);
      require = new LinkedHashSet<>(required.isEmpty() ? List.of() : TypeList.parse(required));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (threads < 1) {
      throw usage("--threads must be at least 1, not " + threads);
    }
    Set<Path> own = new LinkedHashSet<>();
    if (state != null) {
      own.add(state);
    }
    if (report != null) {
      own.add(report);
    }
    List<Path> files = Targets.expand(roots, own);
    long total = 0;
    for (Path f : files) {
      total += Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) ? Files.size(f) : 0;
    }
    XattrRecords records = new XattrRecords();
    RecordVerifier verifier = new RecordVerifier(records, records, require);
    RateLimit limit = new RateLimit(bytesPerSecond);
    VerdictPrinter printer = new VerdictPrinter(out, err, false, true);
    Map<Status, Integer> resumed = new EnumMap<>(Status.class);
    List<Entry> entries = new ArrayList<>();
    ScrubState journal = state == null ? null : ScrubState.open(state);
    Thread onInterrupt = new Thread(() -> interrupted(journal, err), "intact-scrub-interrupted");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try (Progress.Task progress = Progress.onStderr().start("scrub", total)) {
      InOrder.run(
          files,
          threads,
          f -> {
            String before = journal == null ? null : journal.statusOf(f);
            if (before != null) {
              return new Entry(f, null, before);
            }
            FileVerdict v =
                verifier.verify(
                    f,
                    n -> {
                      limit.acquire(n);
                      progress.listener().accept(n);
                    });
            if (journal != null) {
              try {
                journal.done(f, v.status().name());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            return new Entry(f, v, null);
          },
          e -> {
            entries.add(e);
            if (e.verdict() != null) {
              printer.print(e.verdict());
            } else {
              resumed.merge(Status.valueOf(e.resumedStatus()), 1, Integer::sum);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
      if (journal != null) {
        journal.close();
      }
    }
    Map<Status, Integer> counts = new EnumMap<>(Status.class);
    counts.putAll(printer.counts());
    resumed.forEach((s, n) -> counts.merge(s, n, Integer::sum));
    if (report != null) {
      writeReport(counts, entries);
    }
    boolean failed = counts.keySet().stream().anyMatch(Status::isFailure);
    err.println("intact: scrub: " + summary(files.size(), counts, resumed));
    out.flush();
    err.flush();
    if (journal != null) {
      journal.finish();
    }
    return failed ? 1 : 0;
  }

  /** Ctrl-C (or SIGTERM): force the journal to disk so the next run resumes from it; say so. */
  private void interrupted(ScrubState journal, PrintWriter err) {
    if (journal == null) {
      err.println("intact: scrub interrupted (without --state FILE, a new run starts over)");
    } else {
      try {
        journal.close();
        err.println(
            "intact: scrub interrupted: "
                + journal.size()
                + " files done are in "
                + state
                + "; run it again with --state "
                + state
                + " to resume");
      } catch (IOException e) {
        err.println("intact: scrub interrupted; " + state + ": " + e.getMessage());
      }
    }
    err.flush();
  }

  private static String summary(
      int files, Map<Status, Integer> counts, Map<Status, Integer> resumed) {
    StringBuilder b = new StringBuilder().append(files).append(files == 1 ? " file: " : " files: ");
    List<String> parts = new ArrayList<>();
    counts.forEach((s, n) -> parts.add(n + " " + s.label()));
    b.append(parts.isEmpty() ? "nothing to check" : String.join(", ", parts));
    int r = resumed.values().stream().mapToInt(Integer::intValue).sum();
    if (r > 0) {
      b.append(" (").append(r).append(" checked by the interrupted run)");
    }
    return b.toString();
  }

  private void writeReport(Map<Status, Integer> counts, List<Entry> entries) throws IOException {
    Map<String, Object> top = new LinkedHashMap<>();
    Map<String, Integer> byLabel = new LinkedHashMap<>();
    counts.forEach((s, n) -> byLabel.put(s.label(), n));
    top.put("files", entries.size());
    top.put("counts", byLabel);
    List<Map<String, Object>> files = new ArrayList<>();
    for (Entry e : entries) {
      if (e.verdict() == null) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.file().toString());
        m.put("status", Status.valueOf(e.resumedStatus()).label());
        m.put("resumed", true);
        files.add(m);
        continue;
      }
      FileVerdict v = e.verdict();
      if (v.results().isEmpty()) {
        files.add(row(v, null));
      }
      for (TypeResult r : v.results()) {
        files.add(row(v, r));
      }
    }
    top.put("results", files);
    Path tmp = Files.createTempFile(report.toAbsolutePath().getParent(), ".report", ".tmp");
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), top);
      Files.move(
          tmp,
          report,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Map<String, Object> row(FileVerdict v, TypeResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", v.file().toString());
    m.put("status", v.status().label());
    m.put("algorithm", r == null ? null : r.type().name());
    m.put("outcome", r == null ? null : r.outcome().name());
    m.put("expected", r == null || r.expected() == null ? null : r.expected().toHex());
    m.put("actual", r == null || r.actual() == null ? null : r.actual().toHex());
    m.put("note", r == null ? String.join("; ", v.notes()) : r.note());
    return m;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
