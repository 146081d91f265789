package dev.intact.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes, at package time ({@code packaging/build}), the files an installation ships beside the
 * command: the bash completion script (picocli's {@code AutoComplete}, which zsh runs through
 * {@code bashcompinit}) and one AsciiDoc man page source per command (picocli's {@code
 * ManPageGenerator}; asciidoctor turns them into roff). Both are made from the same command model
 * {@code intact} runs with, every subcommand registered, so they cannot drift from {@code --help}.
 *
 * <p>Needs picocli-codegen and picocli's jar on the class path; neither is shipped.
 */
public final class DistributionFiles {
  static final String NAME_LINE =
      "prove that disk images and files arrive, and stay, bit-for-bit intact";

  /** An italic parameter label holding a bracket, as picocli writes {@code HOST[:PORT]}. */
  private static final Pattern BRACKETED_LABEL = Pattern.compile("_([A-Za-z][^_\\s]*\\[[^_\\s]*)_");

  private DistributionFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: DistributionFiles COMPLETION_FILE MAN_SOURCE_DIR");
      System.exit(2);
    }
    write(Path.of(args[0]), Path.of(args[1]));
  }

  /**
   * Writes the bash completion script to {@code completion} and {@code intact.adoc}, {@code
   * intact-sum.adoc}, ... into {@code manDir}.
   *
   * @throws IOException when a file cannot be written or picocli refuses the model
   */
  static void write(Path completion, Path manDir) throws IOException {
    CommandLine cli = commandLine();
    Path parent = completion.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(completion, AutoComplete.bash("intact", cli), StandardCharsets.UTF_8);
    Files.createDirectories(manDir);
    // The NAME line of intact(1); without a header picocli would take the first description line,
    // which is cut mid-sentence. Set on this model only: `intact --help` stays as it is.
    cli.getCommandSpec().usageMessage().header(NAME_LINE);
    int status =
        ManPageGenerator.generateManPage(
            manDir.toFile(), (File) null, new boolean[0], true, cli.getCommandSpec());
    if (status != 0) {
      throw new IOException("picocli's man page generator exited with " + status);
    }
    try (Stream<Path> pages = Files.list(manDir)) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".adoc")).toList()) {
        Files.writeString(page, escapeBracketsInLabels(joinWrappedLines(Files.readString(page))));
      }
    }
  }

  /**
   * Joins the lines of an option's description into one paragraph. Descriptions are written as
   * lines wrapped for {@code --help} ({@link Cli#HELP_WIDTH}); picocli puts a list continuation
   * ({@code +}) between them, which a man page shows as a paragraph break mid-sentence.
   */
  static String joinWrappedLines(String asciidoc) {
    return asciidoc.replace("\n+\n", "\n");
  }

  /**
   * Writes the brackets of a parameter label such as {@code _HOST[:PORT]_} as attribute references:
   * asciidoctor would read them as the end of the italic span and an attribute list, and the
   * synopsis of {@code intact serve} came out garbled.
   */
  static String escapeBracketsInLabels(String asciidoc) {
    return BRACKETED_LABEL
        .matcher(asciidoc)
        .replaceAll(
            m ->
                Matcher.quoteReplacement(
                    "_" + m.group(1).replace("[", "{startsb}").replace("]", "{endsb}") + "_"));
  }

  /** The command line with every subcommand, as {@code intact --help} builds it. */
  static CommandLine commandLine() {
    PrintWriter discard =
        new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    return Cli.create(
        EngineSources::new, InputStream.nullInputStream(), discard, discard, new String[0]);
  }
}
