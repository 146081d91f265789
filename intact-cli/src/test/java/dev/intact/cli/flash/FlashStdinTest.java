package dev.intact.cli.flash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.bmap.BmapFixtures;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code intact flash -}: the image from standard input (the command reads the real stdin). */
class FlashStdinTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new FlashCommand(new ByteArrayInputStream(stdin)));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void flashesStandardInputWithABmap() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    byte[] gold = Files.readAllBytes(img);
    Path bmap = dir.resolve("any.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    Path dest = dir.resolve("dest.img");
    Run r = run(gold, "--bmap", bmap.toString(), "-", dest.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("flashed - to " + dest + ": 16808 bytes written, 3/3 ranges");
    assertThat(Arrays.equals(Files.readAllBytes(dest), gold)).isTrue();
  }

  @Test
  void standardInputCannotBeReadTwiceSoAWrongStreamFailsWithoutRetrying() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    byte[] other = Files.readAllBytes(img);
    other[0] ^= 1;
    Path bmap = dir.resolve("any.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    Path dest = dir.resolve("dest.img");
    Run r = run(other, "--bmap", bmap.toString(), "-", dest.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains("intact: 3 of 3 ranges are NOT verified on " + dest + ":")
        .contains("intact:   blocks 0 (bytes [0, 4096)): the source does not match its checksum")
        .contains("is INCOMPLETE");
  }
}
