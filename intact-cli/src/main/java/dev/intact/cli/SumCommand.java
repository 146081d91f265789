package dev.intact.cli;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.format.ImageOpener;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code intact sum}: print or check checksums, as {@code sha256sum} does, for every algorithm.
 *
 * <p>Its model is built in code rather than read from picocli annotations: reading an annotation
 * makes the JDK generate a proxy class for its type at run time, which the AOT cache cannot hold,
 * and those proxies were most of the CPU time of a short {@code intact sum}. The help text is the
 * one the annotations gave (tests compare it).
 */
final class SumCommand implements Callable<Integer> {
  static final String NAME = "sum";

  private final CommandSpec spec;

  private IntactCommand parent;
  private String algorithm;
  private Long blockSize;
  private boolean binary;
  private String format;
  private String member;
  private RangeSpec range;
  private int threads;
  private boolean tag;
  private boolean json;
  private List<String> check;
  private boolean quiet;
  private boolean status;
  private boolean strict;
  private boolean ignoreMissing;
  private boolean list;
  private List<String> files;

  private SumCommand() {
    spec = CommandSpec.wrapWithoutInspection(this).name(NAME);
    spec.usageMessage()
        .sortOptions(false)
        .description(
            "Print or check checksums of files and block devices (standard input with '-' or no"
                + " FILE).",
            "Holes in sparse files are skipped without reading; block-hash lists are computed by",
            "several workers and never depend on their number.",
            "")
        .footerHeading("%nExamples:%n")
        .footer(
            "  intact sum disk.img                 blkhash: sha256, 64K blocks (= blksum)",
            "  intact sum -a imageio disk.img      ovirt-imageio: blake2b-256, 4M blocks",
            "  intact sum -a blkhash:sha1 --block-size 1M disk.img",
            "  intact sum -a sha256 a.iso b.iso    = sha256sum a.iso b.iso",
            "  intact sum -a crc32c -r 1G: /dev/sdb    from 1 GiB to the end",
            "  intact sum -a xxh3-64 --json disk.img",
            "  intact sum -a sha256 -c SHA256SUMS  check sums written by sha256sum",
            "  intact sum --tag *.img > SUMS; intact sum -c SUMS",
            "",
            "Sum files: 'HEX  NAME' lines hold the -a algorithm; tag lines",
            "'ALG (NAME) = HEX' name their own: SHA256, BLAKE2b-256, XXH3, BLKHASH,",
            "IMAGEIO:SHA1/1M (imageio with sha1 and 1 MiB blocks), ...; JSON lines",
            "from --json carry algorithm, block size and range.",
            "Sizes: bytes or 64K, 4M, 1G, 1T (binary).",
            "Exit status: 0 all good, 1 a mismatch or a failure, 2 a usage error.");
    spec.addOption(
        valued(String.class, "ALG", "-a", "--algorithm")
            .description(
                "Checksum type: a whole-stream algorithm (sha256, crc32c, xxh3-64, ...; see"
                    + " --list),",
                "or a block-hash list: imageio[:ALG], blkhash[:ALG]. Default: blkhash (sha256,"
                    + " 64K).")
            .build());
    spec.addOption(
        valued(Long.class, "SIZE", "--block-size")
            .converters(new SizeConverter())
            .description(
                "Block size of a block-hash list (imageio 1M-16M, blkhash 4K-64M; 4K steps).")
            .build());
    // sha256sum's -b (binary mode): taken only to refuse it, since -b was once the block size.
    spec.addOption(flag("-b", "--binary").hidden(true).build());
    spec.addOption(
        valued(String.class, "FMT", "-f", "--format")
            .description(
                "Image format (raw, qcow2, vmdk, ... as qemu names them) instead of probing."
                    + " Block-hash",
                "lists sum the guest's disk (qcow2 etc. read through qemu-nbd, as blksum and"
                    + " imageio do);",
                "whole-stream algorithms sum the file's own bytes, as sha256sum does, unless -f or",
                "--member is given.")
            .build());
    spec.addOption(
        valued(String.class, "NAME", "--member")
            .description("Sum the disk image stored as member NAME of an OVA/tar archive.")
            .build());
    spec.addOption(
        valued(RangeSpec.class, "START:END", "-r", "--range")
            .converters(new RangeConverter())
            .description("Checksum only bytes [START, END); an empty END means to the end.")
            .build());
    spec.addOption(
        valued(int.class, "N", "-j", "--threads")
            .initialValue(Runtime.getRuntime().availableProcessors())
            .description("Worker threads (default: ${DEFAULT-VALUE}, one per processor).")
            .build());
    spec.addOption(flag("--tag").description("Print BSD-style lines: ALG (NAME) = HEX.").build());
    spec.addOption(flag("--json").description("Print one JSON record per file.").build());
    spec.addOption(
        valued(List.class, "SUMFILE", "-c", "--check")
            .auxiliaryTypes(String.class)
            .description("Check the files listed in SUMFILE ('-' for standard input); repeatable.")
            .build());
    spec.addOption(
        flag("--quiet").description("With -c: do not print OK for each verified file.").build());
    spec.addOption(
        flag("--status").description("With -c: print nothing; the exit status tells.").build());
    spec.addOption(
        flag("--strict").description("With -c: fail on improperly formatted lines.").build());
    spec.addOption(
        flag("--ignore-missing")
            .description("With -c: skip listed files that do not exist.")
            .build());
    spec.addOption(
        flag("--list").description("List the checksum algorithms and block-hash forms.").build());
    spec.addPositional(
        PositionalParamSpec.builder()
            .paramLabel("FILE")
            // picocli's default for an annotated list (the built one's is "1": FILE required)
            .arity(CommandLine.Range.valueOf("0..1").unspecified(true))
            .type(List.class)
            .auxiliaryTypes(String.class)
            .description("Files or block devices; '-' is standard input.")
            .build());
    StandardHelpOptions.addTo(spec); // after the options: -h and -V are listed after them
  }

  /** The model of a new {@code intact sum}, to register with the {@code intact} command line. */
  static CommandSpec model() {
    return new SumCommand().spec;
  }

  private static OptionSpec.Builder flag(String... names) {
    return OptionSpec.builder(names).type(boolean.class).initialValue(false);
  }

  private static OptionSpec.Builder valued(Class<?> type, String label, String... names) {
    return OptionSpec.builder(names).type(type).paramLabel(label);
  }

  /** The values picocli parsed (or the initial ones) into this command's fields. */
  private void readOptions() {
    parent = (IntactCommand) spec.parent().userObject();
    algorithm = (String) value("--algorithm");
    blockSize = (Long) value("--block-size");
    binary = (Boolean) value("--binary");
    format = (String) value("--format");
    member = (String) value("--member");
    range = (RangeSpec) value("--range");
    threads = (Integer) value("--threads");
    tag = (Boolean) value("--tag");
    json = (Boolean) value("--json");
    check = strings(value("--check"));
    quiet = (Boolean) value("--quiet");
    status = (Boolean) value("--status");
    strict = (Boolean) value("--strict");
    ignoreMissing = (Boolean) value("--ignore-missing");
    list = (Boolean) value("--list");
    files = strings(spec.positionalParameters().getFirst().getValue());
  }

  private Object value(String option) {
    return spec.findOption(option).getValue();
  }

  @SuppressWarnings("unchecked") // the options' type: List with String elements
  private static List<String> strings(Object values) {
    return values == null ? List.of() : (List<String>) values;
  }

  @Override
  public Integer call() {
    readOptions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (list) {
      AlgorithmList.print(out);
      out.flush();
      return CommandLine.ExitCode.OK;
    }
    validateCombinations();
    ChecksumType type = checksumType();
    if (parent.debug()) {
      Log.get().debug("{}, {} threads, range {}", type.name(), threads, range);
    }
    Summing summing =
        new Summing(parent.sources(threads, new ImageOpener.Options(member, format)), range);
    try {
      return check.isEmpty() ? sum(summing, type, out, err) : check(summing, type, out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int sum(Summing summing, ChecksumType type, PrintWriter out, PrintWriter err) {
    OutputFormat format = json ? OutputFormat.JSON : tag ? OutputFormat.TAG : OutputFormat.GNU;
    boolean failed = false;
    for (String file : files.isEmpty() ? List.of("-") : files) {
      try {
        out.println(format.line(summing.sum(file, type, null)));
        out.flush();
      } catch (IOException | IllegalArgumentException e) {
        if (parent.debug()) {
          Log.get().debug("cannot sum {}", file, e);
        }
        err.println("intact: " + Messages.failure(file, e));
        err.flush();
        failed = true;
      }
    }
    return failed ? CommandLine.ExitCode.SOFTWARE : CommandLine.ExitCode.OK;
  }

  private int check(Summing summing, ChecksumType type, PrintWriter out, PrintWriter err) {
    boolean typeGiven = algorithm != null || blockSize != null;
    Checker checker =
        new Checker(
            summing,
            typeGiven ? type : null,
            new Checker.Options(quiet, status, strict, ignoreMissing),
            parent.stdin(),
            out,
            err);
    boolean ok = true;
    for (String sumFile : check) {
      ok &= checker.check(sumFile);
    }
    return ok ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
  }

  private void validateCombinations() {
    if (binary) {
      // 'sum -b 1M f' would otherwise sum a file named 1M: say what -b is, and what to write.
      throw usage(
          "-b is sha256sum's --binary (Intact always reads bytes as they are): for the block size"
              + " of a block-hash list write --block-size SIZE");
    }
    if (tag && json) {
      throw usage("--tag and --json cannot be combined");
    }
    if (threads < 1) {
      throw usage("--threads must be at least 1, not " + threads);
    }
    if (check.isEmpty()) {
      for (String option : List.of("--quiet", "--status", "--strict", "--ignore-missing")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw usage("the " + option + " option is meaningful only when checking (-c)");
        }
      }
    } else {
      if (tag || json) {
        throw usage("--tag and --json apply to printing sums, not to checking (-c)");
      }
      if (!files.isEmpty()) {
        throw usage(
            "with -c, name sum files with -c (repeatable), not as FILE: '"
                + files.getFirst()
                + "'");
      }
    }
    if (range != null && check.isEmpty() && files.isEmpty()) {
      throw usage("--range needs a file or device, not standard input");
    }
  }

  /** The type -a and --block-size ask for; the default when -a is absent. */
  private ChecksumType checksumType() {
    if (blockSize != null && blockSize > Integer.MAX_VALUE) {
      throw usage("block size " + blockSize + " is too large");
    }
    OptionalLong bs = blockSize == null ? OptionalLong.empty() : OptionalLong.of(blockSize);
    try {
      return algorithm == null && bs.isEmpty()
          ? ChecksumType.DEFAULT
          : ChecksumType.parse(algorithm == null ? ChecksumType.DEFAULT.name() : algorithm, bs);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Sizes with binary suffixes: {@code 64K}, {@code 4M}. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return ByteSize.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code START:END} ranges. */
  static final class RangeConverter implements ITypeConverter<RangeSpec> {
    @Override
    public RangeSpec convert(String value) {
      try {
        return RangeSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
