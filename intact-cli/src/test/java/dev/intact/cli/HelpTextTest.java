package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code --help} shows each description line as written: none is broken in two by wrapping. */
class HelpTextTest {

  static Stream<CommandLine> everyCommand() {
    PrintWriter none = new PrintWriter(Writer.nullWriter());
    CommandLine root =
        Cli.create(
            EngineSources::new, InputStream.nullInputStream(), none, none, new String[] {"--help"});
    List<CommandLine> all = new ArrayList<>();
    collect(root, all);
    return all.stream();
  }

  private static void collect(CommandLine cmd, List<CommandLine> into) {
    into.add(cmd);
    cmd.getSubcommands().values().stream()
        .filter(c -> !c.getCommandName().equals("help"))
        .forEach(c -> collect(c, into));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCommand")
  void descriptionLinesAreNotRewrapped(CommandLine cmd) {
    List<String> shown = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
    for (String line : cmd.getCommandSpec().usageMessage().description()) {
      for (String written : String.format(line).lines().toList()) {
        if (!written.isBlank()) {
          assertThat(shown)
              .as(
                  "%s --help shows this description line whole",
                  cmd.getCommandSpec().qualifiedName())
              .contains(written.stripTrailing());
        }
      }
    }
  }

  /** The commands of issue 14's help review: their help must leave nothing to guess. */
  private static final List<String> REVIEWED =
      List.of("upload", "download", "copy", "ticket", "serve", "flash", "bmap");

  private static boolean reviewed(CommandLine cmd) {
    String[] words = cmd.getCommandSpec().qualifiedName().split(" ", -1);
    return words.length > 1 && REVIEWED.contains(words[1]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCommand")
  void theLineInTheParentsListIsAWholeSentence(CommandLine cmd) {
    if (!reviewed(cmd)) {
      return;
    }
    // picocli lists a subcommand by its header, else its first description line: a description
    // that goes on over several lines was shown cut mid-sentence ("... SEEK_HOLE at").
    String[] header = cmd.getCommandSpec().usageMessage().header();
    String[] description = cmd.getCommandSpec().usageMessage().description();
    String listed = header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
    assertThat(listed.strip())
        .as("%s in its parent's command list", cmd.getCommandSpec().qualifiedName())
        .isNotEmpty()
        .endsWith(".");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCommand")
  void optionValuesAndPositionalsAreNamedAndDocumented(CommandLine cmd) {
    if (!reviewed(cmd)) {
      return;
    }
    String help = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertThat(help)
        .as("%s --help: picocli's <field> placeholders", cmd.getCommandSpec().qualifiedName())
        .doesNotContainPattern("<[A-Za-z]+>");
    for (CommandLine.Model.PositionalParamSpec p : cmd.getCommandSpec().positionalParameters()) {
      assertThat(String.join(" ", p.description()))
          .as("%s %s described", cmd.getCommandSpec().qualifiedName(), p.paramLabel())
          .isNotBlank();
    }
  }
}
