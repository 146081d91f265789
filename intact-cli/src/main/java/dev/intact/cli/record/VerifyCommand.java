package dev.intact.cli.record;

import dev.intact.cli.IntactCommand;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.record.RecordVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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

/** {@code intact verify}: recompute every recorded checksum of files and compare. */
@Command(
    name = "verify",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Verify files (directories recursively) against their records: every type recorded for the",
      "file as it is now is recomputed, all in one read pass, and compared. Prints NAME: OK,",
      "NAME: FAILED ALG expected X actual Y, NAME: STALE (recorded before the file changed),",
      "NAME: NO RECORD or NAME: BAD RECORD. A mismatch is written on the file as user.intact.error.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  intact verify data.root",
      "  intact verify --require adler32 /archive     a file without adler32 fails",
      "  intact verify --manifest SUMS                every file SUMS lists",
      "",
      "Exit status: 0 all verified, 1 a mismatch, stale or bad record, or failure, 2 a usage error."
    })
public final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand IntactCommand parent;

  @Option(
      names = "--require",
      paramLabel = "ALG[,ALG...]",
      description = "Types every file must have a fresh record of; a missing one fails.")
  List<String> required = new ArrayList<>();

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description = "Read the records from FILE (written by record --manifest), not from xattrs.")
  Path manifest;

  @Option(
      names = {"-j", "--threads"},
      paramLabel = "N",
      description = "Files verified at once (default: ${DEFAULT-VALUE}).")
  int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  @Option(names = "--json", description = "Print one JSON record per file.")
  boolean json;

  @Option(names = "--quiet", description = "Do not print OK for each verified file.")
  boolean quiet;

  @Parameters(paramLabel = "FILE|DIR", description = "Files, or trees to walk.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 1) {
      throw usage("--threads must be at least 1, not " + threads);
    }
    if (files.isEmpty() && manifest == null) {
      throw usage("name the files or directories to verify (or a --manifest to verify)");
    }
    Set<ChecksumType> require;
    try {
      require = new LinkedHashSet<>(required.isEmpty() ? List.of() : TypeList.parse(required));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Stores stores = Stores.open(manifest);
    RecordVerifier verifier = new RecordVerifier(stores.records(), stores.records(), require);
    VerdictPrinter printer = new VerdictPrinter(out, err, json, quiet);
    List<Path> targets =
        files.isEmpty()
            ? stores.manifest().files()
            : Targets.expand(files, manifest == null ? Set.of() : Set.of(manifest));
    InOrder.run(targets, threads, f -> verifier.verify(f, n -> {}), printer::print);
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
