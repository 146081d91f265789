package dev.intact.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Checks the layering rules against every shipped class of every module (no test classes). */
@AnalyzeClasses(packages = "dev.intact", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreHasNoHttpServerOrCliCode =
      LayeringRules.CORE_HAS_NO_HTTP_SERVER_OR_CLI_CODE;

  @ArchTest static final ArchRule cliMakesNoNativeCalls = LayeringRules.CLI_MAKES_NO_NATIVE_CALLS;

  @ArchTest
  static final ArchRule serverAndClientDoNotUseTheCli =
      LayeringRules.SERVER_AND_CLIENT_DO_NOT_USE_THE_CLI;

  @ArchTest
  static final ArchRule serverAndClientAreIndependent =
      LayeringRules.SERVER_AND_CLIENT_ARE_INDEPENDENT;

  @ArchTest static final ArchRule nbdWireDoesNoIo = LayeringRules.NBD_WIRE_DOES_NO_IO;

  @ArchTest
  static final ArchRule bmapFormatDoesNoImageIo = LayeringRules.BMAP_FORMAT_DOES_NO_IMAGE_IO;
}
