package dev.intact.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code intact --version}: the version from the jar manifest, and the Java running it. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = IntactCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "intact " + (version != null ? version : "(development build)"),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
