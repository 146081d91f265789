package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.record.ScrubState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubCommandTest {
  @TempDir Path dir;

  private Path file(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.write(p, data);
  }

  private static void corruptKeepingMtime(Path f) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(3);
      raf.write(0xAA);
    }
    Files.setLastModifiedTime(f, mtime);
  }

  @Test
  void scrubReportsOnlyProblemsWritesAJsonReportAndExitsOne() throws IOException {
    Path good = file("tree/good", 50_000);
    Path bad = file("tree/sub/bad", 70_000);
    Path none = file("tree/none", 10);
    IntactRun.run("record", "-a", "adler32,sha256", good.toString(), bad.toString());
    corruptKeepingMtime(bad);
    Path report = dir.resolve("report.json");

    IntactRun.Result r =
        IntactRun.run(
            "scrub", "--rate", "100M", "--json", report.toString(), dir.resolve("tree").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains(bad + ": FAILED adler32 expected ")
        .contains(none + ": NO RECORD")
        .doesNotContain(good.toString());
    assertThat(r.err()).contains("intact: scrub: 3 files: 1 OK, 1 NO RECORD, 1 FAILED");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("files").asInt()).isEqualTo(3);
    assertThat(json.get("counts").get("FAILED").asInt()).isEqualTo(1);
    JsonNode failed = null;
    for (JsonNode row : json.get("results")) {
      if (row.get("outcome").asText().equals("FAILED")) {
        failed = row;
      }
    }
    assertThat(failed).isNotNull();
    assertThat(failed.get("path").asText()).isEqualTo(bad.toString());
    assertThat(failed.get("expected").asText()).isNotEqualTo(failed.get("actual").asText());
    assertThat(json.toString()).contains(none.toString());
  }

  @Test
  void interruptedScrubResumesFromItsJournalIgnoringATornLastLineAndRemovesItAtTheEnd()
      throws IOException {
    Path a = file("t/a", 1000);
    Path b = file("t/b", 1000);
    IntactRun.run("record", "-a", "adler32", a.toString(), b.toString());
    Path journal = dir.resolve("scrub.state");
    try (ScrubState s = ScrubState.open(journal)) {
      s.done(a, "OK");
    }
    // What kill -9 in the middle of a write leaves: a line without its end.
    Files.write(
        journal,
        ("OK\t" + b + "\t1234").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    corruptKeepingMtime(a); // checked by the interrupted run: not read again
    corruptKeepingMtime(b); // its line is torn: checked again

    IntactRun.Result r =
        IntactRun.run("scrub", "--state", journal.toString(), dir.resolve("t").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith(b + ": FAILED adler32 ").doesNotContain(a.toString());
    assertThat(r.err()).contains("2 files: 1 OK, 1 FAILED (1 checked by the interrupted run)");
    assertThat(journal).doesNotExist();
  }

  @Test
  void badRateIsAUsageError() {
    IntactRun.Result r = IntactRun.run("scrub", "--rate", "fast", dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("intact: 'fast' is not a size");
  }
}
