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
}
