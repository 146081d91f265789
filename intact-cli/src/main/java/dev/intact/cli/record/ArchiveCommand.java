package dev.intact.cli.record;

import dev.intact.cli.IntactCommand;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.record.ArchiveGate;
import dev.intact.core.record.ArchiveRefusedException;
import dev.intact.core.record.ChecksumRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code intact archive}: copy files into an archive only with their checksums proved. */
@Command(
    name = "archive",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Copy files (directories recursively) into an archive the way CTA admits files to tape:",
      "checksums are computed in flight, the copy is written under a temporary name in DEST's",
      "directory, fsynced, read back bypassing the page cache and compared, then linked into place",
      "atomically (never replacing a file) with its records (user.XrdCks.*, user.intact.cks.*).",
      "Records already on a source are verified too. A missing or mismatching checksum refuses",
      "the file: DEST never appears and the reason is recorded on the source as",
      "user.intact.archive.error (\"checksum type expected=ADLER32 actual=NONE\", \"checksum value",
      "mismatch adler32 expected=... actual=...\"). A destination directory's",
      "user.intact.forced.checksum=adler32 makes that type required, as EOS's sys.forced.checksum.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact archive run42.root /archive/               adler32 (the default), proved",
      "  intact archive --cksum adler32:source f /archive/ the source's record must match",
      "  intact archive --cksum md5:5c3c2af6fd59ea8e90631f581dc0f278 f /archive/f",
      "  intact archive --cksum sha256:print -j 4 /data/run42 /archive/",
      "",
      "--cksum as xrdcp's: ALG computes at the source and verifies the copy; ALG:HEX must match;",
      "ALG:source takes the value from the source's record; ALG:print also prints it.",
      "Exit status: 0 all archived, 1 a file refused or failed, 2 a usage error."
    })
public final class ArchiveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand IntactCommand parent;

  @Option(
      names = "--cksum",
      paramLabel = "ALG[:HEX|:source|:print]",
      description = "Checksum to prove (repeatable; default adler32).")
  List<String> cksum = new ArrayList<>();

  @Option(
      names = {"-j", "--threads"},
      paramLabel = "N",
      description = "Files copied at once (default: ${DEFAULT-VALUE}).")
  int threads = 2;

  @Option(names = "--quiet", description = "Print only problems.")
  boolean quiet;

  @Parameters(paramLabel = "SRC... DEST", arity = "2..*", description = "Sources, then the target.")
  List<Path> args = new ArrayList<>();

  private record Job(Path source, Path destination) {}

  private record Outcome(Job job, ArchiveGate.Archived done, String error) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 1) {
      throw usage("--threads must be at least 1, not " + threads);
    }
    List<ChecksumRequest> requests = new ArrayList<>();
    for (String c : cksum) {
      try {
        requests.add(ChecksumRequest.parse(c));
      } catch (IllegalArgumentException e) {
        throw usage("--cksum " + c + ": " + e.getMessage());
      }
    }
    List<Job> jobs = jobs();
    ArchiveGate gate = new ArchiveGate();
    Thread cleanup = new Thread(ArchiveGate::abandon, "intact-archive-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    AtomicInteger failed = new AtomicInteger();
    try {
      InOrder.run(
          jobs,
          threads,
          job -> run(gate, job, requests),
          o -> {
            if (o.error() != null) {
              failed.incrementAndGet();
              err.println("intact: " + o.error());
              out.println(o.job().source() + ": REFUSED");
            } else if (!quiet) {
              out.println(
                  o.job().source()
                      + " -> "
                      + o.job().destination()
                      + ": ARCHIVED"
                      + values(o.done()));
            }
            out.flush();
            err.flush();
          });
    } finally {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    if (jobs.size() > 1) {
      err.println(
          "intact: "
              + jobs.size()
              + " files: "
              + (jobs.size() - failed.get())
              + " archived, "
              + failed.get()
              + " refused");
    }
    out.flush();
    err.flush();
    return failed.get() > 0 ? 1 : 0;
  }

  private static Outcome run(ArchiveGate gate, Job job, List<ChecksumRequest> requests) {
    try {
      Files.createDirectories(job.destination().toAbsolutePath().getParent());
      return new Outcome(
          job, gate.archive(job.source(), job.destination(), requests, n -> {}), null);
    } catch (ArchiveRefusedException e) {
      return new Outcome(job, null, e.getMessage());
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof java.nio.file.FileAlreadyExistsException) {
        m = e.getMessage() + ": already exists, not replaced";
      } else if (e instanceof java.nio.file.NoSuchFileException) {
        m = e.getMessage() + ": No such file or directory";
      }
      return new Outcome(job, null, job.source() + ": not archived: " + m);
    }
  }

  private static String values(ArchiveGate.Archived done) {
    StringJoiner j = new StringJoiner(", ", " ", "");
    for (Checksum c : done.checksums()) {
      j.add(c.type().name() + "=" + c.value().toHex());
    }
    return j.toString();
  }

  /** SRC... DEST as cp -r pairs them: into DEST when it is a directory, else as DEST. */
  private List<Job> jobs() throws IOException {
    List<Path> sources = args.subList(0, args.size() - 1);
    Path dest = args.getLast();
    boolean intoDir = Files.isDirectory(dest);
    if (sources.size() > 1 && !intoDir) {
      throw usage("with several sources, DEST must be an existing directory: " + dest);
    }
    List<Job> jobs = new ArrayList<>();
    for (Path src : sources) {
      Path target = intoDir ? dest.resolve(src.toAbsolutePath().normalize().getFileName()) : dest;
      if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
        for (Path f : Targets.expand(List.of(src), Set.of())) {
          jobs.add(new Job(f, target.resolve(src.relativize(f)))); // a Path keeps the bytes
        }
      } else {
        jobs.add(new Job(src, target));
      }
    }
    return jobs;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
