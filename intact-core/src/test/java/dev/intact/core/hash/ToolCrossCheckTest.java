package dev.intact.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every algorithm against the Debian tool that users compare with, on random files whose sizes
 * straddle the algorithms' block sizes. Each tool runs once over all the files.
 */
class ToolCrossCheckTest {
  private static final int[] SIZES = {
    0, 1, 7, 8, 63, 64, 65, 127, 128, 129, 1023, 1024, 1025, 4095, 4096, 65_537, (1 << 20) + 7
  };
  // "HEX  FILE" (coreutils, b3sum, xxhsum -H64/-H128) or "NAME (FILE) = HEX" (xxhsum -H3).
  private static final Pattern GNU_LINE = Pattern.compile("^([0-9a-f]+) [ *](\\S+)$");
  private static final Pattern BSD_LINE = Pattern.compile("^\\S+ \\((\\S+)\\) = ([0-9a-f]+)$");

  @TempDir static Path dir;
  private static final List<Path> files = new ArrayList<>();

  @BeforeAll
  static void writeRandomFiles() throws IOException {
    SplittableRandom random = new SplittableRandom(2026);
    for (int size : SIZES) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Path file = dir.resolve("random-" + size);
      Files.write(file, data);
      files.add(file);
    }
  }

  @ParameterizedTest(name = "{0} = {1} {2}")
  @CsvSource({
    "sha256, sha256sum, coreutils, ''",
    "sha1, sha1sum, coreutils, ''",
    "md5, md5sum, coreutils, ''",
    "sha512, sha512sum, coreutils, ''",
    "blake2b-256, b2sum, coreutils, -l 256",
    "blake2b-512, b2sum, coreutils, ''",
    "blake3, b3sum, b3sum, ''",
    "xxh64, xxhsum, xxhash, -H64",
    "xxh3-64, xxhsum, xxhash, -H3",
    "xxh3-128, xxhsum, xxhash, -H128",
  })
  void matchesTheToolThatPrintsTheSameFormat(
      String algorithm, String command, String debianPackage, String options) throws IOException {
    List<String> args = new ArrayList<>(List.of(options.split(" ")));
    args.removeIf(String::isEmpty);
    files.forEach(f -> args.add(f.toString()));
    String output = ExternalTool.of(command, debianPackage).run(args.toArray(String[]::new));
    assertEveryFile(algorithm, parseLines(output));
  }

  @Test
  void crc32AndCrc32cMatchRhash() throws IOException {
    List<String> args = new ArrayList<>(List.of("--crc32", "--crc32c"));
    files.forEach(f -> args.add(f.toString()));
    String output = ExternalTool.of("rhash", "rhash").run(args.toArray(String[]::new));
    Map<String, String> crc32 = new HashMap<>();
    Map<String, String> crc32c = new HashMap<>();
    for (String line : output.lines().toList()) {
      String[] fields = line.trim().split("\\s+");
      assertThat(fields).as("rhash line '%s'", line).hasSize(3);
      crc32.put(fields[0], fields[1]);
      crc32c.put(fields[0], fields[2]);
    }
    assertEveryFile("crc32", crc32);
    assertEveryFile("crc32c", crc32c);
  }

  @Test
  void cksumMatchesPosixCksum() throws IOException {
    List<String> args = new ArrayList<>();
    files.forEach(f -> args.add(f.toString()));
    String output = ExternalTool.of("cksum", "coreutils").run(args.toArray(String[]::new));
    Map<String, String> values = new HashMap<>();
    for (String line : output.lines().toList()) {
      // "CRC SIZE FILE", the CRC in decimal.
      String[] fields = line.split(" ");
      assertThat(fields).as("cksum line '%s'", line).hasSize(3);
      values.put(fields[2], String.format("%08x", Long.parseLong(fields[0])));
    }
    assertEveryFile("cksum", values);
  }

  @Test
  void sha3Blake2bAdler32AndCrc32MatchPython() throws IOException {
    String script =
        """
        import hashlib, sys, zlib
        for name in sys.argv[1:]:
            data = open(name, 'rb').read()
            print(name, hashlib.sha3_256(data).hexdigest(),
                  hashlib.blake2b(data, digest_size=32).hexdigest(),
                  '%08x' % zlib.adler32(data), '%08x' % zlib.crc32(data))
        """;
    List<String> args = new ArrayList<>(List.of("-c", script));
    files.forEach(f -> args.add(f.toString()));
    String output = ExternalTool.of("python3", "python3").run(args.toArray(String[]::new));
    String[] algorithms = {"sha3-256", "blake2b-256", "adler32", "crc32"};
    List<Map<String, String>> values = new ArrayList<>();
    for (int i = 0; i < algorithms.length; i++) {
      values.add(new HashMap<>());
    }
    for (String line : output.lines().toList()) {
      String[] fields = line.split(" ");
      assertThat(fields).as("python line '%s'", line).hasSize(1 + algorithms.length);
      for (int i = 0; i < algorithms.length; i++) {
        values.get(i).put(fields[0], fields[i + 1]);
      }
    }
    for (int i = 0; i < algorithms.length; i++) {
      assertEveryFile(algorithms[i], values.get(i));
    }
  }

  private static Map<String, String> parseLines(String output) {
    Map<String, String> values = new HashMap<>();
    for (String line : output.lines().toList()) {
      Matcher gnu = GNU_LINE.matcher(line);
      Matcher bsd = BSD_LINE.matcher(line);
      if (gnu.matches()) {
        values.put(gnu.group(2), gnu.group(1));
      } else if (bsd.matches()) {
        values.put(bsd.group(1), bsd.group(2));
      } else {
        throw new AssertionError("unexpected tool output line: '" + line + "'");
      }
    }
    return values;
  }

  private static void assertEveryFile(String algorithm, Map<String, String> toolValues)
      throws IOException {
    HashAlgorithm a = Algorithms.byName(algorithm);
    for (Path file : files) {
      assertThat(toolValues).as("tool output for %s", file).containsKey(file.toString());
      assertThat(a.hash(Files.readAllBytes(file)).toHex())
          .as("%s of %s (%d bytes)", algorithm, file.getFileName(), Files.size(file))
          .isEqualTo(toolValues.get(file.toString()));
    }
  }
}
