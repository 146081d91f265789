package dev.intact.cli.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.testing.ExternalTool;
import dev.intact.core.testing.SparseImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code intact info}, {@code extents} and {@code serve-nbd} against qemu-img and libnbd tools. */
class NbdCommandsTest {
  static final ExternalTool QEMU_IMG = ExternalTool.of("qemu-img", "qemu-utils");
  static final ExternalTool NBDINFO = ExternalTool.of("nbdinfo", "libnbd-bin");
  static final ExternalTool NBDCOPY = ExternalTool.of("nbdcopy", "libnbd-bin");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static final SparseImage DISK =
      SparseImage.builder()
          .hole(1 << 20)
          .data(2 << 20, 5)
          .zeros(1 << 20)
          .hole(4 << 20)
          .data(4096, 6)
          .hole(1 << 20)
          .build();

  record Result(int status, String out, String err) {}

  static Result run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  Path qcow2() throws Exception {
    Path raw = DISK.writeTo(dir.resolve("disk.raw"));
    Path q = dir.resolve("disk.qcow2");
    QEMU_IMG.run("convert", "-f", "raw", "-O", "qcow2", raw.toString(), q.toString());
    return q;
  }

  @Test
  void infoPrintsFormatAndVirtualSize() throws Exception {
    Path q = qcow2();
    Result r = run(new InfoCommand(), "--json", q.toString());
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode info = JSON.readTree(r.out());
    assertThat(info.get("format").asText()).isEqualTo("qcow2");
    assertThat(info.get("virtual-size").asLong()).isEqualTo(DISK.size());
    JsonNode qemu = JSON.readTree(QEMU_IMG.run("info", "--output=json", q.toString()));
    assertThat(info.get("virtual-size").asLong()).isEqualTo(qemu.get("virtual-size").asLong());

    Result text = run(new InfoCommand(), q.toString());
    assertThat(text.out())
        .contains("format: qcow2")
        .contains("virtual-size: " + DISK.size() + " (9.0 MiB)");
  }

  @Test
  void extentsMatchQemuImgMap() throws Exception {
    Path q = qcow2();
    for (Path image : List.of(dir.resolve("disk.raw"), q)) {
      Result r = run(new ExtentsCommand(), "--json", image.toString());
      assertThat(r.status()).as(r.err()).isZero();
      List<String> ours = new ArrayList<>();
      for (JsonNode e : JSON.readTree(r.out())) {
        ours.add(
            e.get("start").asLong()
                + "+"
                + e.get("length").asLong()
                + " zero="
                + e.get("zero").asBoolean()
                + " data="
                + !e.get("hole").asBoolean());
      }
      assertThat(ours).as("extents of " + image).isEqualTo(qemuImgMap(image));
    }
  }

  /** qemu-img map's entries, adjacent ones of the same kind merged. */
  static List<String> qemuImgMap(Path image) throws Exception {
    List<long[]> runs = new ArrayList<>();
    for (JsonNode e : JSON.readTree(QEMU_IMG.run("map", "--output=json", image.toString()))) {
      long zero = e.get("zero").asBoolean() ? 1 : 0;
      long data = e.get("data").asBoolean() ? 1 : 0;
      if (!runs.isEmpty() && runs.getLast()[2] == zero && runs.getLast()[3] == data) {
        runs.getLast()[1] += e.get("length").asLong();
      } else {
        runs.add(new long[] {e.get("start").asLong(), e.get("length").asLong(), zero, data});
      }
    }
    return runs.stream()
        .map(x -> x[0] + "+" + x[1] + " zero=" + (x[2] == 1) + " data=" + (x[3] == 1))
        .toList();
  }

  @Test
  void anOvaMemberIsReadInPlace() throws Exception {
    qcow2();
    Path ova = dir.resolve("vm.ova");
    ExternalTool.of("tar", "tar")
        .run(
            "-C",
            dir.toString(),
            "--format=ustar",
            "-cf",
            ova.toString(),
            "disk.qcow2",
            "disk.raw");
    Result archive = run(new InfoCommand(), ova.toString());
    assertThat(archive.out())
        .contains("format: raw")
        .contains("archive members: disk.qcow2, disk.raw (choose one with --member NAME)");
    Result member = run(new InfoCommand(), "--json", "--member", "disk.qcow2", ova.toString());
    assertThat(member.status()).as(member.err()).isZero();
    JsonNode info = JSON.readTree(member.out());
    assertThat(info.get("format").asText()).isEqualTo("qcow2");
    assertThat(info.get("virtual-size").asLong()).isEqualTo(DISK.size());
    assertThat(info.get("image").asText()).isEqualTo(ova + "!disk.qcow2");
    Result extents = run(new ExtentsCommand(), "--member", "disk.qcow2", ova.toString());
    Result direct = run(new ExtentsCommand(), dir.resolve("disk.qcow2").toString());
    assertThat(extents.out()).isEqualTo(direct.out()).contains(" data");
  }

  @Test
  void aMissingImageIsAOneLineError() {
    Result r = run(new InfoCommand(), dir.resolve("nope.qcow2").toString());
    assertThat(r.status()).isNotZero();
    assertThat(r.err()).contains("nope.qcow2");
  }

  @Test
  void serveNbdExportsAFileToNbdinfoAndNbdcopyUntilInterrupted() throws Exception {
    Path raw = DISK.writeTo(dir.resolve("disk.raw"));
    Path socket = dir.resolve("intact.sock");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // env resets SIGINT to its default (see RecordSignalsTest): the interrupt must reach the JVM.
    Process server =
        new ProcessBuilder(
                "env",
                "--default-signal=INT",
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.intact.cli.Main",
                "serve-nbd",
                "--read-only",
                "--socket",
                socket.toString(),
                raw.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      String uri =
          new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertThat(uri).isEqualTo("nbd+unix:///?socket=" + socket + " (read-only)");
      String url = "nbd+unix:///?socket=" + socket;
      assertThat(NBDINFO.run("--size", url).strip()).isEqualTo(String.valueOf(DISK.size()));
      assertThat(NBDINFO.run("--map", url).lines().filter(l -> l.contains("data"))).hasSize(2);
      Path copy = dir.resolve("copy.raw");
      NBDCOPY.run(url, copy.toString());
      assertThat(Files.readAllBytes(copy)).isEqualTo(DISK.bytes());

      ExternalTool.of("bash", "bash").run("-c", "kill -INT " + server.pid());
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(socket).doesNotExist();
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void serveNbdRefusesAConnectionCapBelowOneAsAUsageError() throws Exception {
    Path raw = DISK.writeTo(dir.resolve("disk.raw"));
    Result r =
        run(
            new ServeNbdCommand(),
            "--max-connections",
            "0",
            "--socket",
            dir.resolve("s").toString(),
            raw.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--max-connections must be at least 1, not 0");
    assertThat(dir.resolve("s")).doesNotExist();
  }
}
