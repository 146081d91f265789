package dev.intact.spark;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.FileStamp;
import dev.intact.core.record.FileVerdict.Status;
import dev.intact.spark.Arguments.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The job jar's entry point: {@code spark-submit --class dev.intact.spark.IntactSpark
 * intact-spark.jar sum|record|verify|scrub [OPTIONS] PATH...}. Prints what {@code intact sum},
 * {@code intact record} and {@code intact verify} print for the same files; with {@code --output
 * DIR} also writes the results dataset (Parquet and JSON Lines) and a summary there. Exit status 0,
 * 1 when a file failed, 2 for a usage error.
 */
public final class IntactSpark {
  static final String USAGE =
      """
      usage: intact-spark sum    [-a ALG] [-b BLOCK] [--json] [--split-size SIZE] [--task-threads N] [--output DIR] PATH...
             intact-spark record [-a ALG,...] [--update] [--json] [--quiet] [--rate BYTES] [--output DIR] PATH...
             intact-spark verify [--require ALG,...] [--json] [--quiet] [--rate BYTES] [--output DIR] [--again] PATH...
             (scrub is verify; with --output, a rerun skips the files a finished run found OK unless --again)""";

  private static final String SKIP_NOTE = "verified OK by a finished run (--again to verify)";

  private final PrintStream out;
  private final PrintStream err;

  private IntactSpark(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int status = run(args, System.out, System.err, () -> context(args));
    System.exit(status);
  }

  /**
   * A bare SparkContext, no SQL session: only {@code --output} (Parquet) needs one, and making it
   * costs a measured third of an empty job's driver CPU (Spark 4 finds its session implementation
   * through Scala reflection).
   */
  private static SparkContext context(String[] args) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.app.name")) {
      conf.setAppName("intact " + String.join(" ", args));
    }
    return SparkContext.getOrCreate(conf);
  }

  /** The SQL session on {@code context}, made when a dataset is written or read. */
  private static SparkSession session(SparkContext context) {
    return SparkSession.builder().sparkContext(context).getOrCreate();
  }

  /** Runs a command on the context {@code spark} gives (not made for a usage error). */
  public static int run(
      String[] args, PrintStream out, PrintStream err, Supplier<SparkContext> spark) {
    IntactSpark job = new IntactSpark(out, err);
    try {
      String command = args.length == 0 ? "" : args[0];
      return switch (command) {
        case "sum" -> job.sum(args, spark);
        case "record" -> job.record(args, spark);
        case "verify", "scrub" -> job.verify(args, spark);
        case "--help", "-h", "help" -> {
          out.println(USAGE);
          yield 0;
        }
        default ->
            throw new UsageException(
                command.isEmpty()
                    ? "name a command: sum, record, verify or scrub"
                    : "unknown command '" + command + "': use sum, record, verify or scrub");
      };
    } catch (NotLocalException e) {
      err.println("intact: " + e.getMessage());
      return 2;
    } catch (UsageException | IllegalArgumentException e) {
      err.println("intact: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IOException e) {
      err.println("intact: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int sum(String[] args, Supplier<SparkContext> spark) throws IOException {
    Arguments a =
        Arguments.parse(
            args,
            Set.of("--json"),
            Set.of(
                "-a", "--algorithm", "--block-size", "--split-size", "--task-threads", "--output"));
    String alg = a.option("-a") != null ? a.option("-a") : a.option("--algorithm");
    long block = a.size("--block-size", -1);
    OptionalLong bs = block < 0 ? OptionalLong.empty() : OptionalLong.of(block);
    ChecksumType type =
        alg == null && bs.isEmpty()
            ? ChecksumType.DEFAULT
            : ChecksumType.parse(alg == null ? ChecksumType.DEFAULT.name() : alg, bs);
    SumOptions options =
        new SumOptions(
            a.size("--split-size", SumOptions.DEFAULT_SPLIT),
            a.integer("--task-threads", 1),
            SumOptions.DEFAULT_WAVE);
    requirePaths(a);
    SparkContext context = spark.get();
    String started = Instant.now().toString();
    List<FileSum> sums = IntactJobs.sum(context, a.paths, type, options);
    boolean failed = false;
    for (FileSum s : sums) {
      if (s.failed()) {
        err.println("intact: " + s.error());
        failed = true;
      } else {
        out.println(
            a.flag("--json")
                ? SumLines.json(s.file(), s.checksum())
                : SumLines.gnu(s.file(), s.checksum()));
      }
    }
    if (a.option("--output") != null) {
      Map<String, Object> summary = summary("sum", started, sums.size());
      summary.put("algorithm", type.name());
      summary.put("failed", sums.stream().filter(FileSum::failed).count());
      new ResultStore(session(context), a.option("--output"))
          .write(IntactJobs.sumRows(sums), summary);
    }
    return failed ? 1 : 0;
  }

  private int record(String[] args, Supplier<SparkContext> spark) throws IOException {
    Arguments a =
        Arguments.parse(
            args,
            Set.of("--update", "--json", "--quiet"),
            Set.of("-a", "--algorithm", "--rate", "--output"));
    String algs = a.option("-a") != null ? a.option("-a") : a.option("--algorithm");
    List<ChecksumType> types = TypeLists.parse(algs == null ? TypeLists.DEFAULT : algs);
    long rate = a.size("--rate", 0);
    requirePaths(a);
    RecordsJob.requireLocal(a.paths, "record");
    SparkContext context = spark.get();
    String started = Instant.now().toString();
    List<FileReport> reports = IntactJobs.record(context, a.paths, types, a.flag("--update"), rate);
    return finish(a, context, "record", started, reports, List.of());
  }

  private int verify(String[] args, Supplier<SparkContext> spark) throws IOException {
    Arguments a =
        Arguments.parse(
            args,
            Set.of("--json", "--quiet", "--again"),
            Set.of("--require", "--rate", "--output"));
    Set<ChecksumType> required =
        new LinkedHashSet<>(
            a.option("--require") == null ? List.of() : TypeLists.parse(a.option("--require")));
    long rate = a.size("--rate", 0);
    requirePaths(a);
    RecordsJob.requireLocal(a.paths, "verify");
    SparkContext context = spark.get();
    String started = Instant.now().toString();
    List<String> files = Inputs.expand(a.paths, context.hadoopConfiguration());
    List<ResultRow> skipped = new ArrayList<>();
    if (a.option("--output") != null && !a.flag("--again")) {
      Map<String, String> before =
          new ResultStore(session(context), a.option("--output")).verifiedBefore();
      List<String> todo = new ArrayList<>();
      for (String f : files) {
        String now = stampText(f);
        if (now != null && now.equals(before.get(f))) {
          FileStamp s = FileStamp.of(Path.of(f));
          skipped.add(
              new ResultRow(f, s.size(), s.mtimeText(), null, null, null, "SKIPPED", SKIP_NOTE));
        } else {
          todo.add(f);
        }
      }
      files = todo;
    }
    List<FileReport> reports =
        files.isEmpty() ? List.of() : IntactJobs.verify(context, files, required, rate);
    return finish(a, context, "verify", started, reports, skipped);
  }

  private static String stampText(String file) {
    try {
      FileStamp s = FileStamp.of(Path.of(file));
      return s.size() + "@" + s.mtimeText();
    } catch (IOException e) {
      return null; // verified again, and the verifier reports why it cannot be read
    }
  }

  /** Prints the reports as {@code intact record/verify} does, writes the output, exit status. */
  private int finish(
      Arguments a,
      SparkContext context,
      String command,
      String started,
      List<FileReport> reports,
      List<ResultRow> skipped)
      throws IOException {
    boolean json = a.flag("--json");
    boolean quiet = a.flag("--quiet");
    Map<Status, Integer> counts = new EnumMap<>(Status.class);
    for (FileReport r : reports) {
      Status status = Status.valueOf(r.status());
      counts.merge(status, 1, Integer::sum);
      r.errLines().forEach(err::println);
      if (json) {
        out.println(r.jsonLine());
      } else if (!(quiet && (status == Status.OK || status == Status.RECORDED))) {
        out.println(r.textLine());
      }
    }
    if (reports.size() > 1 && !json) {
      int total = reports.size();
      StringJoiner j = new StringJoiner(", ", total + (total == 1 ? " file: " : " files: "), "");
      counts.forEach((s, n) -> j.add(n + " " + s.label()));
      err.println("intact: " + j);
    }
    if (!skipped.isEmpty()) {
      err.println("intact: " + skipped.size() + " files skipped: " + SKIP_NOTE);
    }
    if (a.option("--output") != null) {
      List<ResultRow> rows = new ArrayList<>(IntactJobs.rows(reports));
      rows.addAll(skipped);
      Map<String, Object> summary = summary(command, started, reports.size() + skipped.size());
      Map<String, Integer> byLabel = new LinkedHashMap<>();
      counts.forEach((s, n) -> byLabel.put(s.label(), n));
      summary.put("counts", byLabel);
      summary.put("skipped", skipped.size());
      new ResultStore(session(context), a.option("--output")).write(rows, summary);
    }
    return counts.keySet().stream().anyMatch(Status::isFailure) ? 1 : 0;
  }

  private static Map<String, Object> summary(String command, String started, int files) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", command);
    m.put("started", started);
    m.put("finished", Instant.now().toString());
    m.put("files", files);
    m.put("complete", true);
    return m;
  }

  private static void requirePaths(Arguments a) {
    if (a.paths.isEmpty()) {
      throw new UsageException("name the files or directories to " + a.command);
    }
  }
}
