package dev.intact.cli.record;

import dev.intact.cli.IntactCommand;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.Recorder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code intact record}: compute checksums in one read pass and store them with each file. */
@Command(
    name = "record",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Compute checksums of files (directories recursively) in one read pass per file and store",
      "them as extended attributes: user.XrdCks.<name> for the types XRootD knows (adler32, crc32c,",
      "md5, cksum as 'crc32', crc32 as 'zcrc32'), readable by XRootD and xrdadler32;",
      "user.intact.cks.<type> for the others. Each record carries the file's mtime: a record made",
      "before the file changed is stale, never trusted, and refreshed only with --update.",
      "An existing fresh record is checked instead of overwritten.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact record data.root                    adler32, crc32c, sha256",
      "  intact record -a adler32,md5 /archive/run42   a whole tree",
      "  intact record -a imageio/1M,blkhash disk.img",
      "  intact record --manifest SUMS dir          no xattrs: keep the records in SUMS",
      "",
      "Exit status: 0 all recorded, 1 a mismatch, stale record or failure, 2 a usage error."
    })
public final class RecordCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand IntactCommand parent;

  @Option(
      names = {"-a", "--algorithm"},
      paramLabel = "ALG[,ALG...]",
      description = {
        "Checksum types (any of 'intact sum --list'; block-hash lists as imageio/1M).",
        "Default: " + TypeList.DEFAULT + "."
      })
  List<String> algorithms = new ArrayList<>();

  @Option(names = "--update", description = "Replace stale and malformed records.")
  boolean update;

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description = "Keep the records in FILE (a sum file with size and mtime), not in xattrs.")
  Path manifest;

  @Option(
      names = {"-j", "--threads"},
      paramLabel = "N",
      description = "Files recorded at once (default: ${DEFAULT-VALUE}).")
  int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  @Option(names = "--json", description = "Print one JSON record per file.")
  boolean json;

  @Option(names = "--quiet", description = "Print only problems.")
  boolean quiet;

  @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Files, or trees to walk.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 1) {
      throw usage("--threads must be at least 1, not " + threads);
    }
    List<ChecksumType> types;
    try {
      types = TypeList.parse(algorithms.isEmpty() ? List.of(TypeList.DEFAULT) : algorithms);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Stores stores = Stores.open(manifest);
    Recorder recorder = new Recorder(stores.records(), stores.records(), update);
    VerdictPrinter printer = new VerdictPrinter(out, err, json, quiet);
    List<Path> targets = Targets.expand(files, manifest == null ? Set.of() : Set.of(manifest));
    // Ctrl-C: the manifest already holds every file finished (appended as each is); compact it.
    Thread onInterrupt = new Thread(() -> stores.saveQuietly(err), "intact-record-interrupted");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      InOrder.run(targets, threads, f -> recorder.record(f, types, n -> {}), printer::print);
    } finally {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    }
    stores.save();
    if (targets.size() > 1 && !json) {
      err.println("intact: " + printer.summary());
    }
    out.flush();
    err.flush();
    return printer.anyFailure() ? 1 : CommandLine.ExitCode.OK;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
