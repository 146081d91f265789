package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
  private record Output(int status, String out, String err) {}

  private static Output run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Output(status, out.toString(), err.toString());
  }

  @Test
  void versionFastPathPrintsExactlyWhatPicocliPrints() {
    IntactRun.Result picocli = IntactRun.run("--version");
    for (String option : new String[] {"--version", "-V"}) {
      Output fast = run(option);
      assertThat(fast.status()).isZero();
      assertThat(fast.err()).isEmpty();
      assertThat(fast.out()).isEqualTo(picocli.out()).startsWith("intact ");
    }
  }

  @Test
  void versionWithOtherWordsStillGoesThroughPicocli() {
    Output r = run("--version", "--nosuch");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--nosuch");
  }
}
