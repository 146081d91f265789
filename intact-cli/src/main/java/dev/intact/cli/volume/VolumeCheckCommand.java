package dev.intact.cli.volume;

import dev.intact.core.volume.BadRange;
import dev.intact.core.volume.Volume;
import dev.intact.core.volume.VolumeCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intact volume check}: verify every tag and the metadata, offline. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Verify every block's tag and the metadata of a volume that is not being served.",
      "Prints the exact bad block ranges. Exit 0 clean, 1 bad blocks, 2 unusable volume.",
      ""
    })
public final class VolumeCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The volume.")
  Path path;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin KeyFile key = new KeyFile();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Volume v;
    try {
      v = Volume.open(path, false, key.read());
    } catch (IOException e) {
      err.println("intact: " + e.getMessage());
      err.flush();
      return 2;
    }
    try (v) {
      VolumeCheck.Report report = VolumeCheck.check(v);
      Volume.OpenReport open = v.openReport();
      if (json) {
        List<String> ranges = new ArrayList<>();
        for (BadRange r : report.bad()) {
          ranges.add(
              "{\"first_block\":"
                  + r.first()
                  + ",\"last_block\":"
                  + r.last()
                  + ",\"start\":"
                  + r.bytes().start()
                  + ",\"end\":"
                  + r.bytes().end()
                  + ",\"expected\":"
                  + Json.string(r.firstMismatch().expected())
                  + ",\"actual\":"
                  + Json.string(r.firstMismatch().actual())
                  + "}");
        }
        List<String> problems = open.superblockProblems().stream().map(Json::string).toList();
        out.println(
            "{\"path\":"
                + Json.string(path.toString())
                + ",\"blocks\":"
                + report.blocks()
                + ",\"bad_blocks\":"
                + report.badBlocks()
                + ",\"bad\":["
                + String.join(",", ranges)
                + "],\"superblock_problems\":["
                + String.join(",", problems)
                + "],\"journal_transactions\":"
                + open.transactions()
                + ",\"journal_dropped_records\":"
                + open.dropped()
                + "}");
      } else {
        for (String p : open.superblockProblems()) {
          out.println("superblock: " + p + " (the other copy is used)");
        }
        if (open.transactions() > 0 || open.dropped() > 0) {
          out.println(
              "journal: "
                  + open.transactions()
                  + " committed transactions not yet checkpointed, "
                  + open.dropped()
                  + " records of an unfinished transaction ignored");
        }
        String alg = v.superblock().algorithm().tagName();
        for (BadRange r : report.bad()) {
          out.println(
              (r.first() == r.last()
                      ? "bad block " + r.first()
                      : "bad blocks " + r.first() + "-" + r.last())
                  + " bytes "
                  + r.bytes()
                  + ": "
                  + alg
                  + " expected "
                  + r.firstMismatch().expected()
                  + " actual "
                  + r.firstMismatch().actual());
        }
        out.println(
            path
                + ": "
                + report.blocks()
                + " blocks checked, "
                + (report.clean()
                    ? "all tags match"
                    : report.badBlocks() + " bad in " + report.bad().size() + " ranges"));
      }
      return report.clean() ? 0 : 1;
    }
  }
}
