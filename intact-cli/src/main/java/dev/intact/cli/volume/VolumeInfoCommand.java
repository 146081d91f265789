package dev.intact.cli.volume;

import dev.intact.core.volume.Geometry;
import dev.intact.core.volume.Superblock;
import dev.intact.core.volume.Volume;
import dev.intact.core.volume.VolumeInUseException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code intact volume info}: geometry, tag algorithm, counters, last scrub. Read-only, so it also
 * works on a volume another process serves: then it reads the superblock without the lock and says
 * who holds the volume (the counters are as of that server's last checkpoint).
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Show a volume's geometry, tag algorithm, mismatch counter and last scrub.",
      "Works on a served volume too: it names the process that serves it,",
      "and the counters are then as of that server's last checkpoint.",
      ""
    })
public final class VolumeInfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The volume.")
  Path path;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin KeyFile key = new KeyFile();

  @Override
  public Integer call() throws Exception {
    byte[] secret = key.read();
    try (Volume v = Volume.open(path, false, secret)) {
      print(v.superblock(), null);
    } catch (VolumeInUseException e) {
      print(Volume.readSuperblock(path), e.holder());
    }
    return 0;
  }

  /** Prints the superblock; {@code holder} names the process serving the volume, or is null. */
  private void print(Superblock sb, String holder) {
    Geometry g = sb.geometry();
    PrintWriter out = spec.commandLine().getOut();
    String scrub =
        sb.lastScrubSeconds() == 0
            ? "never"
            : Instant.ofEpochSecond(sb.lastScrubSeconds())
                + " ("
                + sb.lastScrubBad()
                + " bad blocks)";
    if (json) {
      out.println(
          "{\"path\":"
              + Json.string(path.toString())
              + ",\"uuid\":\""
              + sb.uuidString()
              + "\",\"format_version\":"
              + sb.version()
              + ",\"size\":"
              + g.size()
              + ",\"block_size\":"
              + g.blockSize()
              + ",\"blocks\":"
              + g.blocks()
              + ",\"tag\":\""
              + sb.algorithm().tagName()
              + "\",\"journal_size\":"
              + g.journalLength()
              + ",\"chunk_size\":"
              + g.chunkSize()
              + ",\"spare_size\":"
              + g.spareChunks() * g.chunkSize()
              + ",\"storage_size\":"
              + g.storageSize()
              + ",\"generation\":"
              + sb.generation()
              + ",\"mismatches\":"
              + sb.mismatches()
              + ",\"last_scrub\":"
              + (sb.lastScrubSeconds() == 0
                  ? "null"
                  : Json.string(Instant.ofEpochSecond(sb.lastScrubSeconds()).toString()))
              + ",\"last_scrub_bad_blocks\":"
              + sb.lastScrubBad()
              + ",\"in_use_by\":"
              + (holder == null ? "null" : Json.string(holder))
              + "}");
    } else {
      out.println("volume:       " + path);
      out.println("uuid:         " + sb.uuidString());
      out.println("format:       intact volume version " + sb.version());
      out.println("size:         " + g.size() + " bytes");
      out.println("blocks:       " + g.blocks() + " of " + g.blockSize() + " bytes");
      out.println("tags:         " + sb.algorithm().tagName());
      out.println("journal:      " + g.journalLength() + " bytes");
      if (g.remaps()) {
        out.println(
            "spare:        "
                + g.spareChunks()
                + " chunks of "
                + g.chunkSize()
                + " bytes (whole-chunk overwrites are written once)");
      } else {
        out.println("spare:        none (version 3: overwrites go through the journal)");
      }
      out.println("storage:      " + g.storageSize() + " bytes");
      out.println("mismatches:   " + sb.mismatches());
      out.println("last scrub:   " + scrub);
      if (holder != null) {
        out.println("in use by:    " + holder + " (counters as of its last checkpoint)");
      }
    }
  }
}
