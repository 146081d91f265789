package dev.intact.cli;

import dev.intact.core.format.ImageOpener;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code intact} command. Each capability is a subcommand class of its own, registered with one
 * line in {@code Subcommands}. Subcommands inherit {@code --debug}, get exit codes and one-line
 * errors from {@link Cli} (throw {@code ParameterException} for a usage error: exit 2; return 1 for
 * a failure), and may reach the shared context with {@code @ParentCommand IntactCommand} ({@link
 * #stdin()}, {@link #debug()}). Write results to {@code spec.commandLine().getOut()} and messages
 * to {@code getErr()} so tests can capture them.
 *
 * <p>Its model is built in code, not read from picocli annotations: every command line has this
 * root, and reading annotations makes the JDK generate a proxy class per annotation type at run
 * time, which no AOT cache holds (see {@link SumCommand}).
 */
public final class IntactCommand implements Callable<Integer> {
  private final CommandSpec spec;
  private final OptionSpec debug;
  private final SourcesFactory sources;
  private final InputStream stdin;

  IntactCommand(SourcesFactory sources, InputStream stdin) {
    this.sources = sources;
    this.stdin = stdin;
    this.spec =
        CommandSpec.wrapWithoutInspection(this)
            .name("intact")
            .versionProvider(new VersionProvider());
    StandardHelpOptions.addTo(spec);
    spec.usageMessage()
        .synopsisSubcommandLabel("COMMAND")
        .description(
            "Proves that disk images and files arrive, and stay, bit-for-bit intact:",
            "fast, sparse-aware checksums of every kind storage systems use.",
            "")
        .commandListHeading("%nCommands:%n")
        .footerHeading("%nExamples:%n")
        .footer(
            "  intact sum disk.img                 blkhash (sha256, 64K blocks) = blksum",
            "  intact sum -a imageio disk.img      ovirt-imageio's checksum",
            "  intact sum -a sha256 *.iso > SUMS   the output of sha256sum",
            "  intact sum -a sha256 -c SHA256SUMS  check a published sum file",
            "  intact sum --list                   every algorithm Intact knows",
            "",
            "Run 'intact COMMAND --help' for the options of a command.",
            "Exit status: 0 all good, 1 a mismatch or a failure, 2 a usage error.");
    this.debug =
        OptionSpec.builder(Cli.DEBUG)
            .scopeType(ScopeType.INHERIT)
            .type(boolean.class)
            .initialValue(false)
            .description("Log what happens (on stderr) and show stack traces of errors.")
            .build();
    spec.addOption(debug);
  }

  /** The model picocli parses this command's arguments with. */
  CommandSpec spec() {
    return spec;
  }

  /** Opens inputs for a subcommand, with {@code threads} checksum workers. */
  Sources sources(int threads, ImageOpener.Options image) {
    return sources.create(threads, stdin, image);
  }

  /** Standard input of this run (captured in tests). */
  public InputStream stdin() {
    return stdin;
  }

  /** Whether {@code --debug} was given, before or after the subcommand's name. */
  public boolean debug() {
    return debug.<Boolean>getValue();
  }

  /** {@code intact} alone is a usage error: say what the commands are. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
