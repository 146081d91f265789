package dev.intact.cli.archfixture;

import dev.intact.core.posix.NativeFile;

/**
 * Breaks the CLI's layering on purpose: a command that works on a descriptor of the FFM bindings.
 */
public final class ViolatesCliWithPosixBinding {
  private ViolatesCliWithPosixBinding() {}

  public static int descriptor(NativeFile file) {
    return file.fd();
  }
}
