package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The man page sources and completion script packaging/build ships cover every command. */
class DistributionFilesTest {
  @TempDir static Path dir;
  static Path completion;
  static Path man;

  @BeforeAll
  static void write() throws IOException {
    completion = dir.resolve("completion/intact");
    man = dir.resolve("man");
    DistributionFiles.write(completion, man);
  }

  /** "intact", "intact-sum", "intact-ticket-add", ...: every command but help, at any depth. */
  private static List<String> pageNames() {
    List<String> names = new ArrayList<>();
    collect(DistributionFiles.commandLine(), "intact", names);
    return names;
  }

  private static void collect(CommandLine cmd, String name, List<String> into) {
    into.add(name);
    cmd.getSubcommands()
        .forEach(
            (sub, c) -> {
              if (!sub.equals("help")) {
                collect(c, name + "-" + sub, into);
              }
            });
  }

  @Test
  void everyCommandAndSubcommandHasAManPage() {
    List<String> pages = pageNames();
    assertThat(pages).contains("intact-sum", "intact-serve", "intact-flash", "intact-ticket-add");
    for (String page : pages) {
      assertThat(man.resolve(page + ".adoc")).isRegularFile();
    }
  }

  @Test
  void manPagesAreManpageDocumentsNamedForTheirCommand() throws IOException {
    String sum = Files.readString(man.resolve("intact-sum.adoc"));
    assertThat(sum).contains(":doctype: manpage").contains("= intact-sum(1)");
    assertThat(sum).contains("*-a*, *--algorithm*=_ALG_::");
  }

  @Test
  void theTopPageIsNamedWithAWholeSentence() throws IOException {
    assertThat(Files.readString(man.resolve("intact.adoc")))
        .contains("intact - " + DistributionFiles.NAME_LINE);
  }

  @Test
  void wrappedDescriptionLinesBecomeOneParagraph() throws IOException {
    String sum = Files.readString(man.resolve("intact-sum.adoc"));
    assertThat(sum).doesNotContain("\n+\n");
    assertThat(sum).contains("(sha256, crc32c, xxh3-64, ...; see --list),\nor a block-hash list");
  }

  @Test
  void joiningKeepsLinesAndDropsOnlyTheContinuationMarks() {
    assertThat(DistributionFiles.joinWrappedLines("*-x*::\n  first,\n+\nsecond.\n+\nthird.\n"))
        .isEqualTo("*-x*::\n  first,\nsecond.\nthird.\n");
  }

  @Test
  void bracketsInParameterLabelsAreEscapedForAsciidoctor() throws IOException {
    assertThat(Files.readString(man.resolve("intact-serve.adoc")))
        .contains("*--nbd-host*=_HOST{startsb}:PORT{endsb}_")
        .doesNotContain("_HOST[:PORT]_");
    assertThat(DistributionFiles.escapeBracketsInLabels("a [*-x*=_N_] [*-y*=_A[:B]_]... [x]"))
        .isEqualTo("a [*-x*=_N_] [*-y*=_A{startsb}:B{endsb}_]... [x]");
  }

  @Test
  void bashCompletionOffersEveryCommandAndRegistersForIntact() throws IOException {
    String script = Files.readString(completion);
    assertThat(script).contains("complete -F _complete_intact");
    for (String name : DistributionFiles.commandLine().getSubcommands().keySet()) {
      assertThat(script).as(name).containsPattern("commands=\"[^\"]*\\b" + name + "\\b");
    }
  }
}
