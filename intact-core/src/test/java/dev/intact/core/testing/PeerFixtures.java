package dev.intact.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a peer fixture ({@code /peers/*.tsv} on the test classpath): what {@code blksum} or
 * ovirt-imageio answered for one generated input ({@link PeerInputs}), algorithm, block size and
 * source, with the command that produced it.
 */
public final class PeerFixtures {
  private PeerFixtures() {}

  /**
   * One answer of a peer; {@code result} is lowercase hex, or starts with {@code error:} when the
   * peer failed instead.
   */
  public record Row(
      String input, String algorithm, int blockSize, String source, String result, String command) {
    public boolean failed() {
      return result.startsWith("error:");
    }

    @Override
    public String toString() {
      return command;
    }
  }

  /** The rows of {@code file} (e.g. {@code blksum.tsv}), in order; {@code #} lines skipped. */
  public static List<Row> read(String file) {
    String resource = "/peers/" + file;
    try (InputStream in = PeerFixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      List<Row> rows = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
          throw new IllegalStateException(resource + ": not 6 columns: " + line);
        }
        rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), f[3], f[4], f[5]));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
