package dev.intact.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of ARCHITECTURE.md as rules. Each rule says in its {@code because} why it exists, so
 * a violation explains itself in the test report. {@link ArchitectureTest} checks them against the
 * shipped classes; {@link RulesCatchViolationsTest} proves each one fails on a class that breaks
 * it.
 */
final class LayeringRules {
  private LayeringRules() {}

  static final ArchRule CORE_HAS_NO_HTTP_SERVER_OR_CLI_CODE =
      noClasses()
          .that()
          .resideInAPackage("dev.intact.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.eclipse.jetty..",
              "io.helidon..",
              "picocli..",
              "java.net.http..",
              "com.fasterxml.jackson..",
              "dev.intact.cli..",
              "dev.intact.server..",
              "dev.intact.client..")
          .because(
              "intact-core is the library every front end (CLI, server, client) builds on: it"
                  + " computes and verifies, and must stay usable without an HTTP stack, a JSON"
                  + " binding or a command line. Put that code in intact-server, intact-client or"
                  + " intact-cli and pass plain values (records) into the core.");

  /**
   * The FFM bindings themselves: every class of {@code dev.intact.core.posix} but its exceptions,
   * which are values a front end may inspect to word a message.
   */
  private static final DescribedPredicate<JavaClass> POSIX_BINDINGS =
      DescribedPredicate.describe(
          "are FFM system-call bindings (dev.intact.core.posix, but its exceptions)",
          c ->
              c.getPackageName().startsWith("dev.intact.core.posix")
                  && !c.isAssignableTo(Throwable.class));

  static final ArchRule CLI_MAKES_NO_NATIVE_CALLS =
      noClasses()
          .that()
          .resideInAPackage("dev.intact.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.lang.foreign..")
          .orShould()
          .dependOnClassesThat(POSIX_BINDINGS)
          .because(
              "the CLI only orchestrates: it parses arguments, calls the core, client or server,"
                  + " and prints. System calls, native memory and checksum loops belong to"
                  + " intact-core (dev.intact.core.posix, dev.intact.core.checksum), where they are"
                  + " tested once for every front end.");

  static final ArchRule SERVER_AND_CLIENT_DO_NOT_USE_THE_CLI =
      noClasses()
          .that()
          .resideInAnyPackage("dev.intact.server..", "dev.intact.client..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.intact.cli..", "picocli..")
          .because(
              "the transfer daemon and client are libraries the CLI drives (and others may embed);"
                  + " they must not reach back up into the command line.");

  static final ArchRule SERVER_AND_CLIENT_ARE_INDEPENDENT =
      slices()
          .matching("dev.intact.(server|client)..")
          .should()
          .notDependOnEachOther()
          .because(
              "the client speaks only the HTTP protocol of transfer-api.md to the server; sharing"
                  + " classes would let one side's change pass the tests while breaking the"
                  + " protocol for other peers (imageio, curl).");

  /** Where bytes come from or go to: channels, sockets, files, native memory, images. */
  private static final String[] IO_PACKAGES = {
    "java.nio.channels..", "java.net..", "java.lang.foreign..",
  };

  private static final DescribedPredicate<JavaClass> FILE_STREAMS =
      DescribedPredicate.describe(
          "are file streams (java.io.File*, RandomAccessFile)",
          c ->
              c.getPackageName().equals("java.io")
                  && (c.getSimpleName().startsWith("File")
                      || c.getSimpleName().equals("RandomAccessFile")));

  /**
   * Images and the system calls under them: what a format-only package must never touch. Values of
   * the image model ({@code ByteRange}, {@code Extent}) are plain records and stay allowed.
   */
  private static final DescribedPredicate<JavaClass> IMAGE_IO =
      DescribedPredicate.describe(
          "are images (dev.intact.core.image.Image and its implementations) or FFM system calls"
              + " (dev.intact.core.posix)",
          c ->
              c.isAssignableTo("dev.intact.core.image.Image")
                  || c.getPackageName().startsWith("dev.intact.core.posix"));

  static final ArchRule NBD_WIRE_DOES_NO_IO =
      noClasses()
          .that()
          .resideInAPackage("dev.intact.core.nbd.wire..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(IO_PACKAGES)
          .orShould()
          .dependOnClassesThat(FILE_STREAMS)
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.nio.file.Files")
          .orShould()
          .dependOnClassesThat(IMAGE_IO)
          .because(
              "the NBD wire format turns buffers into records and back and nothing else, so it can"
                  + " be fed arbitrary bytes (NbdFuzzTest) and reused by client and server alike."
                  + " Reading and writing sockets belongs to nbd.client / nbd.server"
                  + " (nbd.transport).");

  static final ArchRule BMAP_FORMAT_DOES_NO_IMAGE_IO =
      noClasses()
          .that()
          .resideInAPackage("dev.intact.core.bmap..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(IO_PACKAGES)
          .orShould()
          .dependOnClassesThat(FILE_STREAMS)
          .orShould()
          .dependOnClassesThat(IMAGE_IO)
          .because(
              "the bmap format (parser, writer, model) works on the XML text only, so it can be"
                  + " fed arbitrary bytes (BmapParserFuzzTest); reading images or devices to make a"
                  + " bmap is dev.intact.core.flash's job (BmapCreator). (Reading or writing the"
                  + " whole .bmap file with java.nio.file.Files is allowed.)");
}
