package dev.intact.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code -h, --help} and {@code -V, --version}, as picocli's {@code mixinStandardHelpOptions} adds
 * them, for models built in code. picocli's own builds them from an annotated class, and reading
 * its annotations (and those of {@code Object}'s methods) makes the JDK generate proxy classes at
 * run time that no AOT cache holds.
 */
final class StandardHelpOptions {
  /** The mixin's name in picocli: {@code CommandSpec.mixinStandardHelpOptions()} looks for it. */
  private static final String KEY = "mixinStandardHelpOptions";

  private StandardHelpOptions() {}

  /** Adds the two options to {@code spec}, after its own, as the annotation attribute does. */
  static void addTo(CommandSpec spec) {
    CommandSpec mixin = CommandSpec.create();
    mixin.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .type(boolean.class)
            .initialValue(false)
            .descriptionKey(KEY + ".help")
            .description("Show this help message and exit.")
            .build());
    mixin.addOption(
        OptionSpec.builder("-V", "--version")
            .versionHelp(true)
            .type(boolean.class)
            .initialValue(false)
            .descriptionKey(KEY + ".version")
            .description("Print version information and exit.")
            .build());
    spec.addMixin(KEY, mixin);
  }
}
