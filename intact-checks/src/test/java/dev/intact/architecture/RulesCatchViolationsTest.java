package dev.intact.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.intact.cli.archfixture.ViolatesCliWithNativeCall;
import dev.intact.cli.archfixture.ViolatesCliWithPosixBinding;
import dev.intact.client.archfixture.ViolatesClientWithServerClass;
import dev.intact.core.archfixture.ViolatesCoreWithJson;
import dev.intact.core.bmap.ViolatingBmapReaderOfImages;
import dev.intact.core.bmap.ViolatingBmapWithImage;
import dev.intact.core.nbd.wire.ViolatingMessageWithSocket;
import dev.intact.server.IntactServer;
import dev.intact.server.archfixture.ViolatesServerWithCommandLine;
import org.junit.jupiter.api.Test;

/**
 * Each rule fails on a class written to break it, and its report says why the rule exists. Without
 * this, a rule whose package pattern no longer matches anything would pass forever.
 */
class RulesCatchViolationsTest {

  @Test
  void coreWithJsonBindingFails() {
    assertCaught(
        LayeringRules.CORE_HAS_NO_HTTP_SERVER_OR_CLI_CODE,
        imported(ViolatesCoreWithJson.class),
        "com.fasterxml.jackson.databind.ObjectMapper",
        "must stay usable without an HTTP stack");
  }

  @Test
  void cliWithNativeMemoryFails() {
    assertCaught(
        LayeringRules.CLI_MAKES_NO_NATIVE_CALLS,
        imported(ViolatesCliWithNativeCall.class),
        "java.lang.foreign.Arena",
        "the CLI only orchestrates");
  }

  @Test
  void cliOpeningAFileThroughThePosixBindingsFails() {
    assertCaught(
        LayeringRules.CLI_MAKES_NO_NATIVE_CALLS,
        imported(ViolatesCliWithPosixBinding.class),
        "dev.intact.core.posix.NativeFile",
        "the CLI only orchestrates");
  }

  @Test
  void serverParsingACommandLineFails() {
    assertCaught(
        LayeringRules.SERVER_AND_CLIENT_DO_NOT_USE_THE_CLI,
        imported(ViolatesServerWithCommandLine.class),
        "picocli.CommandLine",
        "must not reach back up into the command line");
  }

  @Test
  void clientUsingAServerClassFails() {
    assertCaught(
        LayeringRules.SERVER_AND_CLIENT_ARE_INDEPENDENT,
        imported(ViolatesClientWithServerClass.class, IntactServer.class),
        "dev.intact.server.IntactServer",
        "speaks only the HTTP protocol");
  }

  @Test
  void nbdMessageReadingASocketFails() {
    assertCaught(
        LayeringRules.NBD_WIRE_DOES_NO_IO,
        imported(ViolatingMessageWithSocket.class),
        "java.nio.channels.SocketChannel",
        "turns buffers into records and back");
  }

  @Test
  void bmapFormatReadingAnImageFails() {
    assertCaught(
        LayeringRules.BMAP_FORMAT_DOES_NO_IMAGE_IO,
        imported(ViolatingBmapReaderOfImages.class),
        "java.io.RandomAccessFile",
        "works on the XML text only");
  }

  @Test
  void bmapFormatOpeningAnImageFails() {
    assertCaught(
        LayeringRules.BMAP_FORMAT_DOES_NO_IMAGE_IO,
        imported(ViolatingBmapWithImage.class),
        "dev.intact.core.image.LocalImage",
        "works on the XML text only");
  }

  private static JavaClasses imported(Class<?>... classes) {
    return new ClassFileImporter().importClasses(classes);
  }

  private static void assertCaught(
      ArchRule rule, JavaClasses classes, String offendingClass, String reason) {
    EvaluationResult result = rule.evaluate(classes);
    assertThat(result.hasViolation()).as("%s finds the violation", rule).isTrue();
    String report = result.getFailureReport().toString();
    assertThat(report).contains(offendingClass).contains(reason);
  }
}
