package dev.intact.cli.transfer;

import dev.intact.cli.ByteSize;
import dev.intact.cli.RangeSpec;
import dev.intact.client.ClientTls;
import dev.intact.client.ExpectedChecksum;
import dev.intact.client.TransferOptions;
import dev.intact.client.TransferProgress;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.ByteRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every transfer command shares (a mixin), named as {@code intact sum} names them:
 * {@code -a/--algorithm}, {@code --block-size SIZE}, {@code -r/--range START:END}, {@code --json}.
 * {@link #validate} turns every bad value into a usage error (exit 2) before anything is sent.
 */
public final class TransferFlags {
  @Option(
      names = "--cafile",
      paramLabel = "PEM",
      description = "Trust the daemon certificate(s) in this file (intact serve prints its path).")
  Path cafile;

  @Option(
      names = "--insecure",
      description = "Do not authenticate the daemon (TLS still encrypts).")
  boolean insecure;

  @Option(
      names = {"-j", "--connections"},
      paramLabel = "N",
      description = {
        "Parallel connections, each with its own reader and hasher: how much is done at once, as",
        "sum's -j/--threads (default 4, capped by the daemon's max_readers/max_writers)."
      })
  int connections = TransferOptions.DEFAULT_CONNECTIONS;

  @Option(
      names = {"-a", "--algorithm"},
      paramLabel = "ALG",
      description = {
        "Checksum computed while sending, as sum -a names it: a block-hash list (default",
        "blkhash; imageio[:ALG], blkhash:ALG) or a whole-stream algorithm (sha256, crc32c, ...)."
      })
  String algorithm;

  /** The name before sum's vocabulary was adopted; still read, no longer shown. */
  @Option(names = "--checksum", paramLabel = "ALG", hidden = true)
  String checksumAlias;

  @Option(
      names = "--block-size",
      paramLabel = "SIZE",
      converter = ByteSize.Converter.class,
      description = "Block size of a block-hash list (64K, 1M, 4M: binary units).")
  Long blockSize;

  @Option(names = "--no-verify", description = "Skip verification (a warning says so).")
  boolean noVerify;

  @Option(
      names = "--expected",
      paramLabel = "ALG:VALUE",
      description =
          "Also check the image against a checksum you already have (e.g. sha256:ab12...).")
  String expected;

  @Option(
      names = "--verify-only",
      description =
          "Send nothing: read the source and verify the destination (with --repair: fix it).")
  boolean verifyOnly;

  @Option(
      names = "--repair",
      description = "On a mismatch, resend only the differing blocks and verify again.")
  boolean repair;

  @Option(names = "--retries", paramLabel = "N", description = "Repair rounds at most (default 3).")
  int retries = TransferOptions.DEFAULT_RETRIES;

  @Option(
      names = {"-r", "--range"},
      paramLabel = "START:END",
      description = {
        "Transfer and verify only bytes [START, END), sizes as in sum -r (1G:2G; 4M: to the end",
        "of the source, for upload). START-END in bytes is read too."
      })
  String range;

  @Option(
      names = "--json",
      description = "Print the result as one JSON record (algorithm, checksum, bytes, repairs).")
  boolean json;

  @Option(
      names = "--no-progress",
      description = "No progress bar (none is drawn when stderr is not a terminal).")
  boolean noProgress;

  private ChecksumType type;
  private Optional<Checksum> expectedChecksum = Optional.empty();
  private Optional<RangeSpec> rangeSpec = Optional.empty();

  /**
   * Checks every flag before anything is opened or sent: a bad value is a usage error naming the
   * flag. {@code openEndKnown} says whether an open range ({@code 4M:}) can be resolved (against a
   * local source's size).
   */
  void validate(CommandSpec spec, boolean openEndKnown) {
    if (cafile != null && !Files.isRegularFile(cafile)) {
      throw usage(
          spec,
          "--cafile "
              + cafile
              + ": "
              + (Files.exists(cafile) ? "not a regular file" : "No such file or directory")
              + " (intact serve prints its certificate's path; or --insecure)");
    }
    if (connections < 1) {
      throw usage(spec, "-j/--connections must be at least 1, not " + connections);
    }
    if (retries < 0) {
      throw usage(spec, "--retries must be 0 or more, not " + retries);
    }
    if (algorithm != null && checksumAlias != null && !algorithm.equals(checksumAlias)) {
      throw usage(spec, "-a/--algorithm and --checksum (its old name) disagree");
    }
    String name = algorithm != null ? algorithm : checksumAlias != null ? checksumAlias : "blkhash";
    try {
      type =
          ChecksumType.parse(
              name, blockSize == null ? OptionalLong.empty() : OptionalLong.of(blockSize));
    } catch (IllegalArgumentException e) {
      throw usage(spec, e.getMessage());
    }
    if (expected != null) {
      try {
        expectedChecksum = Optional.of(ExpectedChecksum.parse(expected, OptionalLong.empty()));
      } catch (IllegalArgumentException e) {
        throw usage(spec, "--expected: " + e.getMessage());
      }
    }
    if (range != null) {
      try {
        rangeSpec = Optional.of(parseRange(range));
      } catch (IllegalArgumentException e) {
        throw usage(spec, "-r/--range: " + e.getMessage());
      }
      if (rangeSpec.get().end().isEmpty() && !openEndKnown) {
        throw usage(
            spec,
            "-r/--range '"
                + range
                + "': give END (the image's size is known only to the daemon), e.g. 0:1G");
      }
    }
  }

  private static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code START:END} with sizes, as {@code sum -r}; the first form, bytes {@code START-END}. */
  static RangeSpec parseRange(String text) {
    int dash = text.indexOf('-');
    if (text.indexOf(':') < 0 && dash > 0 && text.chars().filter(c -> c == '-').count() == 1) {
      String start = text.substring(0, dash).strip();
      String end = text.substring(dash + 1).strip();
      if (!start.isEmpty()
          && !end.isEmpty()
          && (start + end).chars().allMatch(Character::isDigit)) {
        return RangeSpec.parse(start + ":" + end);
      }
    }
    return RangeSpec.parse(text);
  }

  SSLContext tls() throws Exception {
    if (insecure) {
      return ClientTls.insecure();
    }
    return cafile != null ? ClientTls.caFile(cafile) : ClientTls.system();
  }

  /** The options of the transfer; {@code sourceSize} resolves an open range, when known. */
  TransferOptions options(TransferProgress progress, OptionalLong sourceSize) {
    TransferOptions o =
        TransferOptions.defaults()
            .withConnections(connections)
            .withChecksumType(type)
            .withVerify(!noVerify)
            .withRepair(repair, retries)
            .withVerifyOnly(verifyOnly)
            .withProgress(progress);
    if (expectedChecksum.isPresent()) {
      o = o.withExpected(expectedChecksum.get());
    }
    if (rangeSpec.isPresent()) {
      RangeSpec r = rangeSpec.get();
      ByteRange resolved =
          r.end().isPresent()
              ? new ByteRange(r.start(), r.end().getAsLong())
              : r.resolve(sourceSize.orElseThrow(), "the source");
      o = o.withRange(resolved);
    }
    return o;
  }
}
